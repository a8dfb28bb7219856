# unum_add_app(NAME SOURCES f1.cc f2.cc ... [LIBS extra libs])
#
# Builds the C++ functions of an Unum app into one loadable module,
# <UNUM_APP_MODULE_DIR>/<NAME>.so (default: <build>/apps), which
# `unum run APP_DIR` finds by the app's ApplicationName. Each source file
# registers its functions with UNUM_FUNCTION (see include/unum/function.h).
function(unum_add_app name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  set(target unum_app_${name})
  add_library(${target} MODULE ${A_SOURCES}
              ${UNUM_SOURCE_DIR}/src/module/module_entry.cc)
  target_include_directories(${target} PRIVATE ${UNUM_SOURCE_DIR}/include)
  # libstdc++ is left to the process that loads the module, so the module
  # names no libstdc++.so.6 that the loader would have to find: `unum` has
  # it as a shared library, unum-lambda-bootstrap links it statically and
  # exports it, because Lambda's provided.al2023 has no libstdc++ new
  # enough (docs/aws.md, "Linking the bootstrap"). The unwinder (libgcc_eh)
  # and libgcc's helpers are linked in, with unum_glibc_compat for what
  # libgcc_eh would otherwise need from glibc 2.35.
  target_link_options(${target} PRIVATE -nodefaultlibs)
  target_link_libraries(${target} PRIVATE nlohmann_json::nlohmann_json
                        ${A_LIBS} unum_glibc_compat c m gcc_eh gcc)
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${UNUM_APP_MODULE_DIR})
endfunction()
