#!/bin/sh
# The training photos of the shipped SR models. x2: the 11 photographs among the wallpapers of
# Debian's plasma-workspace-wallpapers (LGPL-3; see models/README.md), linked into
# recipes/sr/data/plasma-photos (git-ignored). The other wallpapers of that package are
# illustrations and are left out. Held-out evaluation photos come from another package
# (mate-backgrounds, see eval-data.sh), so no test image is ever trained on.
set -e
cd "$(dirname "$0")"
if [ ! -d /usr/share/wallpapers/Path ]; then
  apt-get install -y plasma-workspace-wallpapers
fi
if [ ! -f /usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg ] || [ ! -f /usr/share/backgrounds/seeding_by_Clements_Engelhardt.jpg ]; then
  apt-get install -y lomiri-wallpapers-16.04 lomiri-wallpapers-20.04
fi
PLASMA_PHOTOS="BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am"
plasma() { echo "/usr/share/wallpapers/$1/contents/images/2560x1600.jpg"; }
mkdir -p data/plasma-photos
for w in $PLASMA_PHOTOS; do
  ln -sf "$(plasma "$w")" "data/plasma-photos/$w.jpg"
done
ls data/plasma-photos
# The validation photos of x4-sharp.json's interpolation weight (val-crops.json is cut from
# them); the held-out mate-backgrounds photos are never used for tuning.
mkdir -p data/plasma-tune-val
for w in ColdRipple FallenLeaf; do
  ln -sf "$(plasma "$w")" "data/plasma-tune-val/$w.jpg"
done
# The training photos of the x4 fidelity model (x4.json): the 11 above plus the 15
# photographs among the wallpapers of lomiri-wallpapers-16.04 and -20.04 (CC-BY-4.0,
# CC-BY-SA-3.0/4.0 and CC0-1.0 per photo, see models/README.md). Their illustrations
# (gradients, logos, abstract shapes) and analogpattern (a texture) are left out.
mkdir -p data/train-photos
for w in $PLASMA_PHOTOS; do
  ln -sf "$(plasma "$w")" "data/train-photos/$w.jpg"
done
for w in Bridge_by_Sander_Klootwijk Dragonfly_by_Bolly Picture_0B_by_freespace Picture_1A_by_freespace \
  Wine_by_Jakkub_Mede aitzgorri_by_Aitzol_Berasategi free_by_Peter_Nerlich friends_by_Aitzol_Berasategi \
  greentock_by_Peter_Nerlich life_by_Aitzol_Berasategi picosdeeuropa_by_Aitzol_Berasategi \
  seeding_by_Clements_Engelhardt sunset_by_Aitzol_Berasategi Kleiber_by_Lukas_Baubkus Infinite-Sea_by_Aury88; do
  ln -sf "/usr/share/backgrounds/$w.jpg" "data/train-photos/$w.jpg"
done
ls data/train-photos | wc -l
# The GAN phase of the x4 sharp model (x4-sharp.json) trains on these 26 but for the
# two validation photos its interpolation weight is judged on (val-crops.json).
mkdir -p data/sharp-train
for f in data/train-photos/*.jpg; do
  case "$(basename "$f")" in ColdRipple.jpg | FallenLeaf.jpg) continue ;; esac
  ln -sf "$(readlink "$f")" "data/sharp-train/$(basename "$f")"
done
