# The layers of fostat, one static library each (docs/design.md § Layers). A layer's headers
# are in src/<layer>/include/<layer>/ (the model's in src/model/include/fostat/), and that
# directory reaches only the layers that link it: a file that includes a header of a layer it
# may not depend on fails to compile ("No such file or directory"). Each layer links the ones
# below it PUBLIC, since its headers include theirs.

# Compiler options every target of ours gets, tests and tools included.
add_library(fostat_warnings INTERFACE)
if(MSVC)  # cl and clang-cl
  target_compile_options(fostat_warnings INTERFACE /W4)
else()
  target_compile_options(fostat_warnings INTERFACE -Wall -Wextra -Wpedantic
    # GCC 12 reports std::variant's own storage as maybe-uninitialized (a known false positive).
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
endif()

# What a Windows build needs of every file that includes ours: the one place for Windows'
# compiler flags (docs/building-on-windows.md).
add_library(fostat_platform INTERFACE)
if(MSVC)
  # The sources are UTF-8, and so must the strings in the programs be.
  target_compile_options(fostat_platform INTERFACE /utf-8 /permissive-)
endif()
if(WIN32)
  # <windows.h> without its min and max macros, which break std::min and std::max; the API of
  # Windows 10 and Server 2016. The standard C functions (fopen, strerror) are what the code
  # means to call, not their _s variants.
  target_compile_definitions(fostat_platform INTERFACE NOMINMAX _WIN32_WINNT=0x0A00
                                                       _CRT_SECURE_NO_WARNINGS)
endif()

# fostat_layer(NAME [INCLUDE_DIR dir] [SOURCES extra.cpp...] LINKS target...)
# The library fostat_NAME of src/NAME/*.cpp, linking LINKS (layers below, and libraries).
function(fostat_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LINKS")
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  add_library(fostat_${name} STATIC ${sources} ${arg_SOURCES})
  target_include_directories(fostat_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src/${name}/include)
  target_link_libraries(fostat_${name} PUBLIC fostat_platform ${arg_LINKS}
                                       PRIVATE fostat_warnings)
endfunction()
