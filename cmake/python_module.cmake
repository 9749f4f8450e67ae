# The Python module `kqlite` (python/): built by the default build whenever pybind11 (Debian's pybind11-dev) and
# Python's headers are found, into build/python/kqlite/ (import it with PYTHONPATH=build/python). Included before
# the libraries are defined: the module is a shared object, so the static kql_* libraries are then compiled as
# position-independent code (-fno-semantic-interposition keeps calls inside them as direct as without -fPIC).
# The sanitizer build leaves it out (an ASan-instrumented module needs the ASan runtime preloaded into python3).
# `cmake --install` puts the package in P/${KQL_PYTHON_INSTALL_DIR}/kqlite (Debian's path for /usr: python3 finds it
# there when P is /usr, as in the .deb; for another prefix, add that folder to PYTHONPATH).
option(KQL_PYTHON "Build the kqlite Python module when pybind11 is found" ON)
set(KQL_PYTHON_MODULE OFF)
set(KQL_PYTHON_INSTALL_DIR "lib/python3/dist-packages" CACHE STRING
    "Where `cmake --install` puts the kqlite Python package, relative to the prefix")
if(KQL_PYTHON AND NOT KQL_SANITIZE AND NOT KQL_BUILD_FUZZ)
  # Debian's own interpreter, whatever python3 comes first on PATH: the module is built for its ABI.
  if(NOT Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python 3 interpreter the module is built for")
  endif()
  find_package(Python3 COMPONENTS Interpreter Development.Module)
  if(Python3_Development.Module_FOUND)
    find_package(pybind11 CONFIG QUIET)
  endif()
  if(pybind11_FOUND)
    set(KQL_PYTHON_MODULE ON)
    set(CMAKE_POSITION_INDEPENDENT_CODE ON)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
      add_compile_options(-fno-semantic-interposition)
    endif()
    message(STATUS "kqlite Python module: on (pybind11 ${pybind11_VERSION}, ${Python3_EXECUTABLE})")
  else()
    message(STATUS "kqlite Python module: off (install pybind11-dev and python3-dev)")
  endif()
endif()

# Called after the libraries exist.
function(kql_add_python_module)
  if(NOT KQL_PYTHON_MODULE)
    return()
  endif()
  pybind11_add_module(kqlite_python MODULE ${CMAKE_SOURCE_DIR}/python/kqlite_module.cpp)
  target_link_libraries(kqlite_python PRIVATE kql_pack)
  kql_set_warnings(kqlite_python)
  set_target_properties(kqlite_python PROPERTIES OUTPUT_NAME _kqlite
                        LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/python/kqlite)
  add_custom_command(TARGET kqlite_python POST_BUILD
                     COMMAND ${CMAKE_COMMAND} -E copy_if_different ${CMAKE_SOURCE_DIR}/python/kqlite/__init__.py
                             ${CMAKE_BINARY_DIR}/python/kqlite/__init__.py)
  install(TARGETS kqlite_python LIBRARY DESTINATION ${KQL_PYTHON_INSTALL_DIR}/kqlite OPTIONAL)
  install(FILES ${CMAKE_SOURCE_DIR}/python/kqlite/__init__.py DESTINATION ${KQL_PYTHON_INSTALL_DIR}/kqlite)
endfunction()
