# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package: `cd build && cpack -G DEB` packs what `cmake --install` installs, with
# prefix /usr. Depends comes from dpkg-shlibdeps (Debian dpkg-dev), which reads the programs'
# NEEDED libraries and the installed packages' shlibs/symbols files, offline: LibTorch
# (libtorch1.13), Qt 6 (libqt6core6, libqt6gui6, libqt6widgets6, libqt6svg6, ...), QCustomPlot
# (libqcustomplot2.1-qt6), OpenCV (libopencv-*406), libcurl4, libhdf5, libc6, libstdc++6.
# Added by hand, since no program links it by name: OpenBLAS, which LibTorch finds through the
# libblas.so.3 alternative (Debian's reference BLAS would be many times slower). Recommended:
# ca-certificates for weight downloads over HTTPS, qt6-wayland for native Wayland windows (X11
# and XWayland need only libqt6gui6).
set(CPACK_PACKAGE_NAME featscale)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "featscale developers")
set(FEATSCALE_MAINTAINER "featscale developers <dev@featscale.local>" CACHE STRING "Maintainer field of the .deb")
set(CPACK_PACKAGE_CONTACT ${FEATSCALE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "feature scale of VGG16 layers before and after L2Norm")
set(CPACK_PACKAGE_INSTALL_DIRECTORY featscale)
set(CPACK_RESOURCE_FILE_LICENSE ${FEATSCALE_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${FEATSCALE_MAINTAINER})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # featscale_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "feature scale of VGG16 layers before and after L2Norm
 featscale runs VGG16 on images and shows, at every location of every layer,
 the L2 norm of the feature vector across channels, before and after an
 SSD-style L2Norm with a per-channel scale gamma (ParseNet, SSD's conv4_3_norm).
 .
 This package holds the Qt 6 desktop application (featscale) and the
 command-line tool (featscale-cli), man pages, bash completion and sample
 photos. Licence: GPL-3.0-or-later.")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread | libopenblas0")
# qtbase_zh_CN.qm for Qt's own dialogs in Chinese, and a CJK font for the Chinese interface
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates, qt6-wayland, qt6-translations-l10n, fonts-wqy-microhei | fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
