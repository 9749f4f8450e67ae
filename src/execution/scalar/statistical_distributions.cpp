// Statistical distribution functions: beta_cdf, beta_inv, beta_pdf (the beta distribution, by Boost.Math).
// Outside the domain Kusto answers NaN (x outside [0, 1], alpha or beta not positive); beta_inv answers null for a
// probability outside [0, 1]. Null arguments give null.
#include <boost/math/distributions/beta.hpp>

#include <cmath>
#include <limits>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

// Domain errors become NaN instead of exceptions.
using NanPolicy = boost::math::policies::policy<boost::math::policies::domain_error<boost::math::policies::ignore_error>,
                                                boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
                                                boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;
using Beta = boost::math::beta_distribution<double, NanPolicy>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Reads (x, alpha, beta); false when one is null or not a number.
bool ReadBetaArgs(std::span<const Value> args, double& x, double& alpha, double& beta) {
  auto first = ValueNumber(args[0]), second = ValueNumber(args[1]), third = ValueNumber(args[2]);
  if (!first || !second || !third) return false;
  x = *first;
  alpha = *second;
  beta = *third;
  return true;
}

bool ValidShape(double alpha, double beta) {
  return std::isfinite(alpha) && std::isfinite(beta) && alpha > 0 && beta > 0;
}

Value BetaCdf(std::span<const Value> args, KqlType) {
  double x, alpha, beta;
  if (!ReadBetaArgs(args, x, alpha, beta)) return Value::Null(KqlType::kReal);
  if (!ValidShape(alpha, beta) || !(x >= 0 && x <= 1)) return Value::Real(kNaN);
  return Value::Real(boost::math::cdf(Beta(alpha, beta), x));
}

Value BetaPdf(std::span<const Value> args, KqlType) {
  double x, alpha, beta;
  if (!ReadBetaArgs(args, x, alpha, beta)) return Value::Null(KqlType::kReal);
  if (!ValidShape(alpha, beta) || !(x >= 0 && x <= 1)) return Value::Real(kNaN);
  return Value::Real(boost::math::pdf(Beta(alpha, beta), x));
}

Value BetaInv(std::span<const Value> args, KqlType) {
  double probability, alpha, beta;
  if (!ReadBetaArgs(args, probability, alpha, beta)) return Value::Null(KqlType::kReal);
  if (!(probability >= 0 && probability <= 1)) return Value::Null(KqlType::kReal);
  if (!ValidShape(alpha, beta)) return Value::Real(kNaN);
  return Value::Real(boost::math::quantile(Beta(alpha, beta), probability));
}

constexpr ValueFunctionEntry kDistributionFunctions[] = {
    {"beta_cdf", BetaCdf},
    {"beta_inv", BetaInv},
    {"beta_pdf", BetaPdf},
};

}  // namespace

void DistributionFunctionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                                ColumnVector& out) {
  RunValueFunction(kDistributionFunctions, call, args, rows, out);
}

}  // namespace kql::exec
