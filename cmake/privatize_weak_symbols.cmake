# cmake -DNM=nm -DOBJCOPY=objcopy -DINPUT=in.o -DOUTPUT=out.o -P privatize_weak_symbols.cmake
# Renames every weak function symbol an object defines (suffix ".kql_avx2") so the linker cannot merge its copies
# with the same-named copies of objects compiled for another instruction set. See simd_dispatch.cmake.
# Local "n" symbols are COMDAT group signatures (e.g. a destructor's D5 group holding D1/D2): they are renamed too,
# or the linker would still fold the group into another object's same-named group.
execute_process(COMMAND ${NM} --defined-only ${INPUT} OUTPUT_VARIABLE symbols RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "nm failed on ${INPUT}")
endif()
string(REPLACE "\n" ";" lines "${symbols}")
set(renames "")
foreach(line IN LISTS lines)
  if(line MATCHES "^[0-9a-fA-F]+ [Wn] (.+)$")
    string(APPEND renames "${CMAKE_MATCH_1} ${CMAKE_MATCH_1}.kql_avx2\n")
  endif()
endforeach()
file(WRITE ${OUTPUT}.renames "${renames}")
execute_process(COMMAND ${OBJCOPY} --redefine-syms=${OUTPUT}.renames ${INPUT} ${OUTPUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "objcopy failed on ${INPUT}")
endif()
