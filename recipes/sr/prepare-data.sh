#!/bin/sh
# The training photos of the shipped SR models: the 11 photographs among the wallpapers of
# Debian's plasma-workspace-wallpapers (LGPL-3; see models/README.md), linked into
# recipes/sr/data/plasma-photos (git-ignored). The other wallpapers of that package are
# illustrations and are left out. Held-out evaluation photos come from another package
# (mate-backgrounds, see eval-data.sh), so no test image is ever trained on.
set -e
cd "$(dirname "$0")"
if [ ! -d /usr/share/wallpapers/Path ]; then
  apt-get install -y plasma-workspace-wallpapers
fi
mkdir -p data/plasma-photos
for w in BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am; do
  ln -sf "/usr/share/wallpapers/$w/contents/images/2560x1600.jpg" "data/plasma-photos/$w.jpg"
done
ls data/plasma-photos
# The tuning split of x4-sharp.json's weights (models/README.md): 9 photos to train on, 2 to
# validate on; the held-out mate-backgrounds photos are never used for tuning.
mkdir -p data/plasma-tune-train data/plasma-tune-val
for w in BytheWater ColorfulCups DarkestHour EveningGlow Grey Kite OneStandsOut Path summer_1am; do
  ln -sf "/usr/share/wallpapers/$w/contents/images/2560x1600.jpg" "data/plasma-tune-train/$w.jpg"
done
for w in ColdRipple FallenLeaf; do
  ln -sf "/usr/share/wallpapers/$w/contents/images/2560x1600.jpg" "data/plasma-tune-val/$w.jpg"
done
