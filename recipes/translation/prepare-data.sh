#!/bin/sh
# The colourisation sets of the pix2pix/CycleGAN acceptance runs (README "Image-to-image
# translation"): 64x64 crops of real photographs, made by makeSets.ts into recipes/translation/data
# (git-ignored). Training crops: the 11 photographs among Debian's plasma-workspace-wallpapers
# (LGPL-3); held-out crops: the 12 nature photographs of Debian's mate-backgrounds (GPL-2+).
set -e
cd "$(dirname "$0")"
[ -d /usr/share/wallpapers/Path ] || apt-get install -y plasma-workspace-wallpapers
[ -d /usr/share/backgrounds/mate/nature ] || apt-get install -y mate-backgrounds
mkdir -p data/photos-train data/photos-val
for w in BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am; do
  ln -sf "/usr/share/wallpapers/$w/contents/images/2560x1600.jpg" "data/photos-train/$w.jpg"
done
for f in /usr/share/backgrounds/mate/nature/*.jpg; do ln -sf "$f" "data/photos-val/$(basename "$f")"; done
cd ../..
npx esbuild recipes/translation/makeSets.ts --bundle --platform=node --log-level=warning --outfile=out/recipes/makeSets.js
rm -rf recipes/translation/data/colour
node out/recipes/makeSets.js --train-photos recipes/translation/data/photos-train --val-photos recipes/translation/data/photos-val \
  --out recipes/translation/data/colour --size "${SIZE:-64}" --train "${TRAIN:-1200}" --val "${VAL:-100}"
