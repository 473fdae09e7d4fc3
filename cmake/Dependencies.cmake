# Every dependency comes from a Debian package (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 QUIET CONFIG)
find_package(spdlog REQUIRED)
find_package(CURL REQUIRED)
find_package(GTest REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)

# SOCI ships no CMake config in Debian: wrap its libraries in imported targets.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
foreach(part core sqlite3 postgresql mysql)
  find_library(SOCI_${part}_LIBRARY soci_${part} REQUIRED)
  add_library(soci::${part} UNKNOWN IMPORTED)
  set_target_properties(soci::${part} PROPERTIES IMPORTED_LOCATION "${SOCI_${part}_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
endforeach()
target_link_libraries(soci::core INTERFACE Threads::Threads ${CMAKE_DL_LIBS})
target_link_libraries(soci::sqlite3 INTERFACE soci::core SQLite::SQLite3)
target_link_libraries(soci::postgresql INTERFACE soci::core PostgreSQL::PostgreSQL)
target_link_libraries(soci::mysql INTERFACE soci::core PkgConfig::MARIADB)

# cpp-httplib is a compiled library in Debian (libcpp-httplib.so + httplib.h).
find_library(HTTPLIB_LIBRARY cpp-httplib REQUIRED)
add_library(httplib::httplib UNKNOWN IMPORTED)
set_target_properties(httplib::httplib PROPERTIES IMPORTED_LOCATION "${HTTPLIB_LIBRARY}"
                      INTERFACE_COMPILE_DEFINITIONS "CPPHTTPLIB_OPENSSL_SUPPORT")
target_link_libraries(httplib::httplib INTERFACE OpenSSL::SSL OpenSSL::Crypto Threads::Threads)

# PKCS#11: only the header (libp11-kit-dev); modules such as SoftHSM2 are dlopen'ed at run time.
find_path(PKCS11_INCLUDE_DIR p11-kit/pkcs11.h PATH_SUFFIXES p11-kit-1 REQUIRED)
add_library(pkcs11::headers INTERFACE IMPORTED)
set_target_properties(pkcs11::headers PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${PKCS11_INCLUDE_DIR}")

if(NOT TARGET CLI11::CLI11)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  set_target_properties(CLI11::CLI11 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${CLI11_INCLUDE_DIR}")
endif()

if(MD_BENCH AND NOT MD_ONLY_UNIT)
  find_package(benchmark REQUIRED)
endif()
