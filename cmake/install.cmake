# What `cmake --install` puts where (GNUInstallDirs), and the Debian package that
# `cpack -G DEB` makes of it. Included at the end of the top-level CMakeLists.txt.
include(GNUInstallDirs)

install(TARGETS fostat-collect fostat-query RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES man/fostat-collect.1 man/fostat-query.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# The migrations as compiled into the programs, for reading (docs/storage.md).
install(DIRECTORY schema/ DESTINATION ${CMAKE_INSTALL_DATADIR}/fostat/schema
        FILES_MATCHING PATTERN "*.sql")
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")
install(FILES dist/cron/fostat DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
        RENAME cron.d-fostat)
install(FILES tools/windows/Export-FostatFailoverStats.ps1 tools/windows/Register-FostatTask.ps1
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fostat/windows)
if(NOT WIN32)
  # Under the prefix: /usr/lib/systemd/system, which systemd reads (as /lib/systemd/system).
  set(FOSTAT_SYSTEMD_UNIT_DIR lib/systemd/system CACHE STRING
      "where the systemd units go, relative to the prefix")
  install(FILES dist/systemd/fostat-collect@.service dist/systemd/fostat-collect@.timer
          DESTINATION ${FOSTAT_SYSTEMD_UNIT_DIR})
endif()

set(CPACK_PACKAGE_NAME fostat)
set(CPACK_PACKAGE_VENDOR fostat)
set(CPACK_PACKAGE_CONTACT "fostat maintainers <fostat@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "time series of DHCP failover scope statistics (ISC dhcpd, Kea HA, Windows)")
set(CPACK_PACKAGE_DESCRIPTION
    "fostat records the failover statistics of DHCP scopes (the seven counters of Windows'\n\
DHCP_FAILOVER_STATISTICS per scope and server) from ISC dhcpd, Kea HA and Windows Server\n\
DHCP pairs in SQLite, and reports trends, exhaustion forecasts, invariant violations and\n\
free-pool imbalance between the partners.")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://example.org/fostat")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries' packages, as dpkg-shlibdeps (dpkg-dev) finds them; adduser for
# the postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlite3")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/dist/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/dist/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/dist/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
