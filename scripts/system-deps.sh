#!/bin/sh
# WeasyPrint (PDF case records) needs Pango and HarfBuzz, and fonts covering Latin, Greek
# and Cyrillic; PyICU (collation of country and language lists) builds against ICU.
# Install them when run as root on Debian; otherwise say what is missing.
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fontconfig fonts-dejavu-core libicu-dev pkg-config g++"
missing=""
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || missing="yes"
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || missing="yes"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="yes"
pkg-config --exists icu-i18n 2>/dev/null || missing="yes"
command -v g++ >/dev/null 2>&1 || missing="yes"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system libraries for WeasyPrint and PyICU: $PACKAGES"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
else
  echo "OpenIMI needs system libraries. Install them with:"
  echo "  sudo apt-get install $PACKAGES"
  echo "(Without ICU's headers lists use a plain alphabetical order; without Pango only PDF case records fail.)"
fi
