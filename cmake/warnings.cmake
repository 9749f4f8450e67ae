# Compiler warnings applied to every kqlite target through kql_set_warnings().
function(kql_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
  if(KQL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
