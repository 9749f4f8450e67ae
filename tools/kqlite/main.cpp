// kqlite command-line interface (placeholder until the engine lands).
#include <cstdio>

int main() {
  std::puts("kqlite: under construction");
  return 0;
}
