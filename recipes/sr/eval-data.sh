#!/bin/sh
# Held-out photos for eval-sr and bench:sr: the 12 nature photographs of Debian's
# mate-backgrounds (GPL-2+), a different package from the training photos.
set -e
cd "$(dirname "$0")"
if [ ! -d /usr/share/backgrounds/mate/nature ]; then
  apt-get install -y mate-backgrounds
fi
mkdir -p data/mate-nature
for f in /usr/share/backgrounds/mate/nature/*.jpg; do ln -sf "$f" "data/mate-nature/$(basename "$f")"; done
ls data/mate-nature
