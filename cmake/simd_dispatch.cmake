# Runtime SIMD dispatch for the JSON reader. simdjson's On-Demand API is compiled into the including translation
# unit for ONE implementation chosen by that unit's compiler flags; with the project's x86-64 baseline flags that is
# simdjson's slowest "fallback" kernel. So src/io/jsonl_morsel_reader.cpp is compiled twice: once normally (part
# of kql_io's glob; namespace kql::json_fallback) and once here with AVX2 flags (namespace kql::json_haswell).
# jsonl_source.cpp calls the AVX2 copy only when simdjson reports the CPU supports its haswell kernel.
#
# Keeping the baseline binary safe: inline functions the AVX2 object emits out of line (std::, simdjson:: and kql::
# helpers) are weak symbols shared with baseline objects, and the linker may keep either copy, which could put AVX2
# code on a baseline path. The object's weak function symbols are therefore renamed (objcopy --redefine-syms), so
# its copies are private to it. Option KQL_SIMD_DISPATCH=OFF builds the portable copy only.
option(KQL_SIMD_DISPATCH "Compile an AVX2 copy of the JSON reader and pick it at run time" ON)

if(KQL_SIMD_DISPATCH AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang"
   AND NOT KQL_SANITIZE)
  find_program(KQL_OBJCOPY NAMES objcopy)
  find_program(KQL_NM NAMES nm)
  if(KQL_OBJCOPY AND KQL_NM)
    add_library(kql_io_json_haswell OBJECT ${CMAKE_SOURCE_DIR}/src/io/jsonl_morsel_reader.cpp)
    target_include_directories(kql_io_json_haswell PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/include)
    target_link_libraries(kql_io_json_haswell PRIVATE kql_vector kql_catalog simdjson::simdjson)
    # The instruction sets of simdjson's haswell kernel (SIMDJSON_CAN_ALWAYS_RUN_HASWELL), plus popcnt/bmi2.
    target_compile_options(kql_io_json_haswell PRIVATE -mavx2 -mbmi -mbmi2 -mpclmul -mlzcnt -mpopcnt)
    target_compile_definitions(kql_io_json_haswell PRIVATE KQL_JSON_VARIANT=json_haswell)
    kql_set_warnings(kql_io_json_haswell)

    set(kql_haswell_object ${CMAKE_BINARY_DIR}/kql_io_json_haswell_private.o)
    add_custom_command(
      OUTPUT ${kql_haswell_object}
      COMMAND ${CMAKE_COMMAND} -DNM=${KQL_NM} -DOBJCOPY=${KQL_OBJCOPY} "-DINPUT=$<TARGET_OBJECTS:kql_io_json_haswell>"
              -DOUTPUT=${kql_haswell_object} -P ${CMAKE_SOURCE_DIR}/cmake/privatize_weak_symbols.cmake
      DEPENDS kql_io_json_haswell $<TARGET_OBJECTS:kql_io_json_haswell> ${CMAKE_SOURCE_DIR}/cmake/privatize_weak_symbols.cmake
      COMMAND_EXPAND_LISTS
      COMMENT "Privatizing weak symbols of the AVX2 JSON reader")
    set_source_files_properties(${kql_haswell_object} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
    target_sources(kql_io PRIVATE ${kql_haswell_object})
    target_compile_definitions(kql_io PRIVATE KQL_HAVE_JSON_HASWELL=1)
  endif()
endif()
