# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the AppStream metainfo file from featscale.metainfo.xml.in.
# cmake -DIN=... -DOUT=... -DAPP_ID=... [-DHOMEPAGE_URL=...] [-DSCREENSHOT_URL=...] -P metainfo.cmake
# HOMEPAGE_URL adds <url type="homepage">; SCREENSHOT_URL (the folder where docs/screenshots/*.png
# are served over https) adds <screenshots>. AppStream takes only web addresses for both, so a
# build without them leaves them out rather than pointing at files on disk.
set(FEATSCALE_APP_ID "${APP_ID}")
set(urls "")
if(HOMEPAGE_URL)
  string(APPEND urls "  <url type=\"homepage\">${HOMEPAGE_URL}</url>\n")
endif()
if(SCREENSHOT_URL)
  string(APPEND urls "  <screenshots>\n")
  foreach(shot "main|Layer scales: every layer's norms as box plots, conv4_3 before and after L2Norm"
               "tab-histograms|Histograms of conv4_3, conv5_3 and fc7"
               "tab-parsenet-concat|The concatenated feature vector at a pinned location")
    string(REPLACE "|" ";" parts "${shot}")
    list(GET parts 0 name)
    list(GET parts 1 caption)
    if(name STREQUAL "main")
      string(APPEND urls "    <screenshot type=\"default\">\n")
    else()
      string(APPEND urls "    <screenshot>\n")
    endif()
    string(APPEND urls "      <caption>${caption}</caption>\n"
                       "      <image type=\"source\">${SCREENSHOT_URL}/${name}.png</image>\n"
                       "    </screenshot>\n")
  endforeach()
  string(APPEND urls "  </screenshots>\n")
endif()
set(FEATSCALE_METAINFO_URLS "${urls}")
configure_file(${IN} ${OUT} @ONLY)
