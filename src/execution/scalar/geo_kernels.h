// GeoKernels: the kernels of the geo_* families (geo_point_functions.cpp, geo_geohash.cpp, geo_s2cell.cpp,
// geo_shape_functions.cpp, geo_wkt.cpp, geo_densify.cpp, geo_simplify.cpp, geo_intersection.cpp).
// The registry (scalar_function_registry.cpp) maps the canonical names onto them.
#pragma once
#include "execution/scalar/scalar_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

// geo_point_functions.cpp: geo_distance_2points, geo_point_in_circle, geo_azimuth, geo_angle.
void GeoPointKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
          ColumnVector& out);
// geo_geohash.cpp: geo_point_to_geohash, geo_geohash_to_central_point, geo_geohash_to_polygon, geo_geohash_neighbors.
void GeoHashKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
          ColumnVector& out);
// geo_s2cell.cpp: geo_point_to_s2cell, geo_s2cell_to_central_point, geo_s2cell_to_polygon, geo_s2cell_neighbors.
void GeoS2CellKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
          ColumnVector& out);
// geo_shape_functions.cpp: point-in-polygon, distances to shapes, areas, lengths, centroids, intersects tests.
void GeoShapeKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
          ColumnVector& out);
// geo_wkt.cpp: geo_from_wkt.
void GeoWktKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
          ColumnVector& out);
// geo_densify.cpp: geo_line_densify, geo_polygon_densify.
void GeoDensifyKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
          ColumnVector& out);
// geo_simplify.cpp: geo_polygon_simplify, geo_line_simplify, geo_union_lines_array.
void GeoSimplifyKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
          ColumnVector& out);
// geo_intersection.cpp: geo_intersection_2polygons, geo_intersection_line_with_polygon.
void GeoIntersectionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
          ColumnVector& out);

}  // namespace kql::exec
