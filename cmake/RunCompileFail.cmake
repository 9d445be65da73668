# Runs the compile-fail cases of one source file (see bulwark_compile_fail).
file(READ ${SOURCE} text)
string(REGEX MATCHALL "#if BULWARK_CF_CASE == [0-9]+\n// expect: [^\n]*" blocks "${text}")
if(NOT blocks)
  message(FATAL_ERROR "${SOURCE}: no compile-fail cases found")
endif()
# -Werror: [[nodiscard]] violations are warnings by default.
set(flags -std=c++20 -fsyntax-only -Wall -Werror -I${INCLUDE_DIR})

# The control case must compile, so that a failure below is the misuse and
# not a broken header.
execute_process(COMMAND ${CXX} ${flags} -DBULWARK_CF_CASE=0 ${SOURCE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "control case of ${SOURCE} does not compile:\n${err}")
endif()

set(count 0)
foreach(block IN LISTS blocks)
  string(REGEX REPLACE "#if BULWARK_CF_CASE == ([0-9]+)\n.*" "\\1" case "${block}")
  string(REGEX REPLACE ".*// expect: ([^\n]*)" "\\1" expect "${block}")
  if(case EQUAL 0)
    continue()
  endif()
  execute_process(COMMAND ${CXX} ${flags} -DBULWARK_CF_CASE=${case} ${SOURCE}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "case ${case} of ${SOURCE} compiled, but must not")
  endif()
  if(NOT err MATCHES "${expect}")
    message(FATAL_ERROR "case ${case} of ${SOURCE} failed for another reason "
                        "(expected /${expect}/):\n${err}")
  endif()
  message(STATUS "case ${case}: refused as expected (/${expect}/)")
  math(EXPR count "${count} + 1")
endforeach()
message(STATUS "${SOURCE}: ${count} misuse cases refused, control compiles")
