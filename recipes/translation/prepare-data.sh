#!/bin/sh
# The colourisation sets of the pix2pix/CycleGAN acceptance runs (README "Image-to-image
# translation"): 64x64 crops of real photographs, made by makeSets.ts into recipes/translation/data
# (git-ignored), from 23 photographs: the 11 among Debian's plasma-workspace-wallpapers (LGPL-3)
# and the 12 nature photographs of Debian's mate-backgrounds (GPL-2+). Training crops come from
# the left three quarters of each photo, held-out crops from the right quarter.
set -e
cd "$(dirname "$0")"
[ -d /usr/share/wallpapers/Path ] || apt-get install -y plasma-workspace-wallpapers
[ -d /usr/share/backgrounds/mate/nature ] || apt-get install -y mate-backgrounds
mkdir -p data/photos-plasma data/photos-mate
for w in BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am; do
  ln -sf "/usr/share/wallpapers/$w/contents/images/2560x1600.jpg" "data/photos-plasma/$w.jpg"
done
for f in /usr/share/backgrounds/mate/nature/*.jpg; do ln -sf "$f" "data/photos-mate/$(basename "$f")"; done
cd ../..
npx esbuild recipes/translation/makeSets.ts --bundle --platform=node --log-level=warning --outfile=out/recipes/makeSets.js
rm -rf recipes/translation/data/colour
node out/recipes/makeSets.js --photos recipes/translation/data/photos-plasma --photos recipes/translation/data/photos-mate \
  --out recipes/translation/data/colour --size "${SIZE:-64}" --train "${TRAIN:-1200}" --val "${VAL:-100}"
