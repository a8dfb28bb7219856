# cmake -DBOOTSTRAP=file -DOUT=dir -P bundle_libs.cmake
#
# Copies every shared library unum-lambda-bootstrap needs, except glibc's
# own, into OUT under the name it is asked for (its soname). `unum build
# --platform aws` puts OUT's files under lib/ in every zip, where the
# bootstrap's DT_RPATH ($ORIGIN/lib) finds them (docs/aws.md).
if(NOT BOOTSTRAP OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DBOOTSTRAP=file -DOUT=dir -P bundle_libs.cmake")
endif()
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
# Provided by the Lambda runtime (glibc 2.34 on provided.al2023).
set(glibc "^(libc|libm|libdl|libpthread|librt|libresolv|libutil)\\.so\\.[0-9]+$"
          "^ld-linux-x86-64\\.so\\.2$")
file(GET_RUNTIME_DEPENDENCIES
  EXECUTABLES ${BOOTSTRAP}
  RESOLVED_DEPENDENCIES_VAR resolved
  UNRESOLVED_DEPENDENCIES_VAR unresolved
  PRE_EXCLUDE_REGEXES ${glibc})
if(unresolved)
  message(FATAL_ERROR "${BOOTSTRAP}: cannot find ${unresolved}")
endif()
foreach(lib IN LISTS resolved)
  get_filename_component(name ${lib} NAME)
  file(REAL_PATH ${lib} real)
  file(COPY_FILE ${real} ${OUT}/${name})
endforeach()
list(LENGTH resolved count)
message(STATUS "unum-lambda-bootstrap: ${count} libraries bundled in ${OUT}")
