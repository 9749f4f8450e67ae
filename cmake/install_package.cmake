# Installing and packaging kqlite: `cmake --install build --prefix P` puts the CLI in P/bin, the demo data in
# P/share/kqlite/demo, readable copies of the built-in rule pack (the binary embeds it) in P/share/kqlite/rules and
# the docs in P/share/doc/kqlite; `cpack -G DEB` (in the build folder) makes a Debian package of the same files.
# Also keeps the version header current (the project version and the git commit the build came from, re-read on
# every build by cmake/write_version.cmake) and writes, for runs from the build folder, a marker naming the source
# tree's demo data (never installed).
include(GNUInstallDirs)

function(kql_configure_version target)
  set(version_header ${CMAKE_BINARY_DIR}/generated/kqlite_version.h)
  set(write_version ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${version_header}
      -DVERSION=${PROJECT_VERSION} -P ${CMAKE_SOURCE_DIR}/cmake/write_version.cmake)
  execute_process(COMMAND ${write_version})
  # Re-read the commit on every build; the header changes (and main.cpp recompiles) only after a new commit.
  add_custom_target(${target}_version COMMAND ${write_version} BYPRODUCTS ${version_header} VERBATIM)
  add_dependencies(${target} ${target}_version)
  target_include_directories(${target} PRIVATE ${CMAKE_BINARY_DIR}/generated)
  # A build-folder binary finds the source tree's demo data through this marker; an installed one uses share/.
  file(WRITE ${CMAKE_BINARY_DIR}/kqlite-demo-data.path "${CMAKE_SOURCE_DIR}/data/demo\n")
endfunction()

kql_configure_version(kqlite)

install(TARGETS kqlite RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/data/demo/ DESTINATION ${CMAKE_INSTALL_DATADIR}/kqlite/demo)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/rules/builtin/ DESTINATION ${CMAKE_INSTALL_DATADIR}/kqlite/rules)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")

set(CPACK_PACKAGE_NAME kqlite)
set(CPACK_PACKAGE_VENDOR "kqlite")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Run KQL detections and hunting queries over local security telemetry")
set(CPACK_PACKAGE_CONTACT "kqlite maintainers <kqlite@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "kqlite maintainers <kqlite@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
       "KQL (Kusto Query Language) engine and hunting CLI for exported security telemetry\n"
       "kqlite runs Microsoft Sentinel analytic rules and ad-hoc KQL over Defender XDR and\n"
       "Sentinel exports (JSON lines, CSV, .gz/.zst) on a laptop, an air-gapped lab or a CI job.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The Depends line comes from the shared libraries the binary links (simdjson, re2, yaml-cpp, fmt, zstd, zlib, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcurl is loaded at run time only for ClickHouse (src/clickhouse/curl_library.h), so shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libcurl4")
set(CPACK_GENERATOR DEB)
include(CPack)
