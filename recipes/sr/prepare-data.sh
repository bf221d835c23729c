#!/bin/sh
# The training photos of the shipped SR models. x2: the 11 photographs among the wallpapers of
# Debian's plasma-workspace-wallpapers (LGPL-3; see models/README.md), linked into
# recipes/sr/data/plasma-photos (git-ignored). The other wallpapers of that package are
# illustrations and are left out. Held-out evaluation photos come from another package
# (mate-backgrounds, see eval-data.sh), so no test image is ever trained on.
set -e
cd "$(dirname "$0")"
# Links every photo of set $1 into set $2 (each training set grows the one before it).
link_set() {
  mkdir -p "$2"
  for f in "$1"/*; do
    ln -sf "$(readlink "$f")" "$2/$(basename "$f")"
  done
}
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
# More photographs (found 2026-12-01 by searching Debian's Contents index for JPEGs): the 40
# underwater photos of the game krank (public domain), 5 phone photos of forensics-samples-files
# (CC-BY-SA-4.0) and 5 photos among libjs-jquery-backstretch's examples (Expat); and
# tuxpaint-data for data/train-95 below. The packages are only unpacked into data/debs (krank is
# a game with its own dependencies: nothing is installed); data/train-more links these 50 and the
# 26 above. See models/README.md.
mkdir -p data/debs
(
  cd data/debs
  for p in krank forensics-samples-files libjs-jquery-backstretch tuxpaint-data gcompris-qt-data; do
    if [ ! -d "$p" ]; then
      apt-get download "$p"
      dpkg-deb -x "$p"_*.deb "$p"
      rm -f "$p"_*.deb
    fi
  done
)
link_set data/train-photos data/train-more
KRANK="$PWD/data/debs/krank/usr/share/games/krank/levels/unera-backgrounds"
for f in "$KRANK"/*.jpg; do
  # menu-scores1.jpg is the same file as bonus-01.jpg.
  case "$(basename "$f")" in menu-scores1.jpg) continue ;; esac
  ln -sf "$f" "data/train-more/krank-$(basename "$f")"
done
FORENSICS="$PWD/data/debs/forensics-samples-files/usr/share/forensics-samples/original-files"
for f in pic1/IMG_1054.JPG pic1/IMG_20200827_231612.jpg pic2/IMG_20191224_234846.jpg \
  pic2/IMG_20200124_231153.jpg pic2/IMG_20200608_111614.jpg; do
  ln -sf "$FORENSICS/$f" "data/train-more/forensics-$(basename "$f")"
done
BACKSTRETCH="$PWD/data/debs/libjs-jquery-backstretch/usr/share/doc/libjs-jquery-backstretch/examples"
for f in sample1_1920 sample2_1920 dome coffee pot-holder; do
  ln -sf "$BACKSTRETCH/$f.jpg" "data/train-more/backstretch-$f.jpg"
done
ls data/train-more | wc -l
# And the 19 photographs among Tux Paint's templates (tuxpaint-data, GPL-2+, by Bill Kendrick:
# bark, rocks, moss, waves, trees; about 1 MP each), found 2026-12-01. data/train-95 links
# these and the 76 of data/train-more (the package is unpacked into data/debs above). See
# models/README.md.
link_set data/train-more data/train-95
for f in "$PWD"/data/debs/tuxpaint-data/usr/share/tuxpaint/templates/*.jpg; do
  ln -sf "$f" "data/train-95/tuxpaint-$(basename "$f")"
done
ls data/train-95 | wc -l
# And 115 photographs from GCompris's activities (gcompris-qt-data, found 2026-12-01; each
# activity is a Qt resource bundle, unpacked by rcc-extract.mjs with its README, which names
# every photo's author, source and licence: Wikimedia Commons photos under CC0, public domain,
# CC-BY and CC-BY-SA): erase (33 animals, 1920x1080 WebP at about 0.4 bit a pixel, so halved),
# explore_monuments (49), explore_world_animals (15), explore_farm_animals (9) and
# explore_world_music (9), about 1024 px each. data/train-210 links these and the 95 above.
# See models/README.md.
GCOMPRIS_RCC="$PWD/data/debs/gcompris-qt-data/usr/share/gcompris-qt/rcc"
if [ ! -d data/debs/gcompris-photos ]; then
  node rcc-extract.mjs "$GCOMPRIS_RCC/erase.rcc" data/debs/gcompris-photos.part --half
  for a in explore_monuments explore_world_animals explore_farm_animals explore_world_music; do
    node rcc-extract.mjs "$GCOMPRIS_RCC/$a.rcc" data/debs/gcompris-photos.part
  done
  mv data/debs/gcompris-photos.part data/debs/gcompris-photos
fi
link_set data/train-95 data/train-210
for f in "$PWD"/data/debs/gcompris-photos/*; do
  case "$f" in *README) continue ;; esac
  ln -sf "$f" "data/train-210/gcompris-$(basename "$f")"
done
ls data/train-210 | wc -l
