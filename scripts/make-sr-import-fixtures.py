#!/usr/bin/python3
"""Writes test/fixtures/sr-import/: tiny ESRGAN-family models as PyTorch .pth and .safetensors
files, their reference outputs on one seeded input, and hostile/broken files, for issue 17.

Run by hand (CI has no Python; the outputs are committed):
    /usr/bin/python3 scripts/make-sr-import-fixtures.py
Needs torch (Debian python3-torch 1.13 here). The networks are written from the papers'
descriptions (ESRGAN: Wang et al. 2018; Real-ESRGAN's SRVGGNetCompact), not copied.

Images and outputs are float32, little-endian, NCHW, values as the network produces them
(no clamping). manifest.json says, per fixture, the file, the architecture and its params, the
expected keys with shape / dtype / sum / first element, and for broken files the error kind.
"""
import io
import json
import os
import struct
import zipfile
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'sr-import')
RRDB_PARAMS = dict(nf=4, gc=3, numBlock=2)
SRVGG_PARAMS = dict(nf=8, numConv=2, act='prelu')


# ---------------------------------------------------------------- networks


def lrelu(x):
    return F.leaky_relu(x, 0.2)


def conv3(cin, cout):
    return nn.Conv2d(cin, cout, 3, 1, 1)


class DenseBlock(nn.Module):
    """Five 3x3 convs; conv k sees the block input and every earlier output, concatenated."""

    def __init__(self, nf, gc):
        super().__init__()
        for k in range(1, 5):
            setattr(self, f'conv{k}', conv3(nf + (k - 1) * gc, gc))
        self.conv5 = conv3(nf + 4 * gc, nf)

    def forward(self, x):
        feats = [x]
        for k in range(1, 5):
            feats.append(lrelu(getattr(self, f'conv{k}')(torch.cat(feats, 1))))
        return x + 0.2 * self.conv5(torch.cat(feats, 1))


class RRDB(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        self.rdb1 = DenseBlock(nf, gc)
        self.rdb2 = DenseBlock(nf, gc)
        self.rdb3 = DenseBlock(nf, gc)

    def forward(self, x):
        return x + 0.2 * self.rdb3(self.rdb2(self.rdb1(x)))


class RRDBNet(nn.Module):
    """ESRGAN's generator, BasicSR ("new") key names. scale 2 / 1: pixel-unshuffle the input by
    2 / 4 first (Real-ESRGAN x2plus), then the x4 body."""

    def __init__(self, scale, nf, gc, numBlock):
        super().__init__()
        self.unshuffle = {4: 1, 2: 2, 1: 4}[scale]
        self.conv_first = conv3(3 * self.unshuffle**2, nf)
        self.body = nn.Sequential(*[RRDB(nf, gc) for _ in range(numBlock)])
        self.conv_body = conv3(nf, nf)
        self.conv_up1 = conv3(nf, nf)
        self.conv_up2 = conv3(nf, nf)
        self.conv_hr = conv3(nf, nf)
        self.conv_last = conv3(nf, 3)

    def forward(self, x):
        if self.unshuffle > 1:
            x = F.pixel_unshuffle(x, self.unshuffle)
        feat = self.conv_first(x)
        feat = feat + self.conv_body(self.body(feat))
        feat = lrelu(self.conv_up1(F.interpolate(feat, scale_factor=2, mode='nearest')))
        feat = lrelu(self.conv_up2(F.interpolate(feat, scale_factor=2, mode='nearest')))
        return self.conv_last(lrelu(self.conv_hr(feat)))


def old_esrgan_keys(sd, numBlock):
    """BasicSR names -> the original ESRGAN repo's Sequential names (model.N...)."""
    top = {'conv_first': 'model.0', 'conv_body': f'model.1.sub.{numBlock}', 'conv_up1': 'model.3',
           'conv_up2': 'model.6', 'conv_hr': 'model.8', 'conv_last': 'model.10'}
    out = OrderedDict()
    for k, v in sd.items():
        parts = k.split('.')
        if parts[0] == 'body':  # body.B.rdbR.convC.(weight|bias)
            b, r, c, kind = parts[1], parts[2][3:], parts[3], parts[4]
            out[f'model.1.sub.{b}.RDB{r}.{c}.0.{kind}'] = v
        else:
            out[f'{top[parts[0]]}.{parts[1]}'] = v
    return out


class SRVGGNetCompact(nn.Module):
    """Real-ESRGAN's compact net: conv + act, numConv x (conv + act), conv to 3*scale^2,
    pixel-shuffle, plus the nearest-upsampled input. Keys body.0 ... body.(2*numConv+2)."""

    def __init__(self, scale, nf, numConv, act):
        super().__init__()
        self.scale = scale
        layers = [conv3(3, nf), self.activation(act, nf)]
        for _ in range(numConv):
            layers += [conv3(nf, nf), self.activation(act, nf)]
        layers.append(conv3(nf, 3 * scale * scale))
        self.body = nn.ModuleList(layers)

    @staticmethod
    def activation(act, nf):
        if act == 'prelu':
            return nn.PReLU(num_parameters=nf)
        return nn.ReLU() if act == 'relu' else nn.LeakyReLU(0.1)

    def forward(self, x):
        out = x
        for layer in self.body:
            out = layer(out)
        out = F.pixel_shuffle(out, self.scale)
        return out + F.interpolate(x, scale_factor=self.scale, mode='nearest')


# ---------------------------------------------------------------- writers


def seeded(model, seed):
    """He-normal convs (outputs that follow the input, not just the biases), small random
    biases, and per-channel PReLU slopes that differ, under a seed."""
    torch.manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, a=0.2)
            m.weight.data *= 0.6  # keeps the RRDB outputs within a few units
            nn.init.uniform_(m.bias, -0.05, 0.05)
        elif isinstance(m, nn.PReLU):
            nn.init.uniform_(m.weight, 0.05, 0.4)
    return model.eval()


def tensor_stats(sd):
    """What the TypeScript reader must reproduce, after conversion to float32."""
    out = OrderedDict()
    for k, v in sd.items():
        f = v.detach().to(torch.float32).contiguous().reshape(-1)
        out[k] = dict(shape=list(v.shape), dtype=str(v.dtype).replace('torch.', ''),
                      sum=float(f.double().sum()), first=float(f[0]) if f.numel() else None,
                      last=float(f[-1]) if f.numel() else None)
    return out


def write_bin(name, t):
    t.detach().to(torch.float32).contiguous().numpy().astype('<f4').tofile(os.path.join(OUT, name))


ST_DTYPES = {torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.float64: 'F64'}


def write_safetensors(name, sd, metadata=None):
    """The safetensors layout: u64 LE header length, JSON header (space-padded to 8), data."""
    header, blobs, offset = OrderedDict(), [], 0
    if metadata:
        header['__metadata__'] = metadata
    for k, v in sd.items():
        v = v.detach().contiguous()
        raw = v.view(torch.int16).numpy().tobytes() if v.dtype == torch.bfloat16 else v.numpy().tobytes()
        header[k] = dict(dtype=ST_DTYPES[v.dtype], shape=list(v.shape), data_offsets=[offset, offset + len(raw)])
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def write_huge_safetensors(name):
    """Declares a 65536 x 65536 float32 tensor (16 GiB) in a file of a few hundred bytes."""
    n = 65536
    header = {'big': dict(dtype='F32', shape=[n, n], data_offsets=[0, n * n * 4])}
    text = json.dumps(header).encode()
    text += b' ' * (-len(text) % 8)
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b'\0' * 64)


def write_huge_pth(name):
    """A zip .pth whose tensor claims 2**31 - 1 elements over a 77-element storage: torch.save
    of a real 77-element tensor, then its size tuple patched in the pickle."""
    buf = io.BytesIO()
    torch.save(OrderedDict(big=torch.zeros(77)), buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(os.path.join(OUT, name), 'w', zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith('/data.pkl'):
                size_tuple = b'K\x4d\x85'  # BININT1 77, TUPLE1
                assert data.count(size_tuple) == 1
                data = data.replace(size_tuple, b'J' + struct.pack('<i', 2**31 - 1) + b'\x85')
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), data)


def repack(src, dst, method):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', method) as zout:
        for info in zin.infolist():
            out = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            out.compress_type = method
            zout.writestr(out, zin.read(info.filename))


class RunsShellCommand:
    """A hostile pickle payload: unpickling it in Python would run a shell command."""

    def __reduce__(self):
        return (os.system, ('touch /tmp/gan-studio-pwned',))


# ---------------------------------------------------------------- fixtures


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    torch.manual_seed(2026)
    image = torch.rand(1, 3, 12, 10)
    write_bin('input.bin', image)
    fixtures = []

    def model_fixture(file, arch, scale, layout, params, model, sd, wrapper, out_name=None):
        with torch.no_grad():
            out = model(image)
        if out_name is None:  # else the same network's output, already written
            out_name = os.path.splitext(file)[0] + '.out.bin'
            write_bin(out_name, out)
        fixtures.append(OrderedDict(
            file=file, arch=arch, scale=scale, layout=layout, params=params, wrapper=wrapper,
            input='input.bin', inputShape=list(image.shape), output=out_name, outputShape=list(out.shape),
            outputRange=[float(out.min()), float(out.max())], tensors=tensor_stats(sd)))

    # RRDBNet x4, BasicSR keys, wrapped like Real-ESRGAN's releases.
    rrdb4 = seeded(RRDBNet(4, **RRDB_PARAMS), 1)
    sd = rrdb4.state_dict()
    torch.save({'params_ema': sd}, os.path.join(OUT, 'rrdb-x4-new.pth'))
    model_fixture('rrdb-x4-new.pth', 'rrdb', 4, 'new', RRDB_PARAMS, rrdb4, sd, 'params_ema')

    # The same weights under the original ESRGAN names, a bare OrderedDict.
    old = old_esrgan_keys(sd, RRDB_PARAMS["numBlock"])
    torch.save(old, os.path.join(OUT, 'rrdb-x4-old.pth'))
    model_fixture('rrdb-x4-old.pth', 'rrdb', 4, 'old', RRDB_PARAMS, rrdb4, old, None, 'rrdb-x4-new.out.bin')

    # Real-ESRGAN x2plus style: pixel-unshuffle 2, then the x4 body; as .safetensors.
    rrdb2 = seeded(RRDBNet(2, **RRDB_PARAMS), 2)
    sd = rrdb2.state_dict()
    write_safetensors('rrdb-x2-new.safetensors', sd, {'format': 'pt'})
    model_fixture('rrdb-x2-new.safetensors', 'rrdb', 2, 'new', RRDB_PARAMS, rrdb2, sd, None)

    # SRVGGNetCompact x4 wrapped as {'params': sd}.
    vgg4 = seeded(SRVGGNetCompact(4, **SRVGG_PARAMS), 3)
    sd = vgg4.state_dict()
    torch.save({'params': sd}, os.path.join(OUT, 'srvgg-x4.pth'))
    model_fixture('srvgg-x4.pth', 'srvgg', 4, 'new', SRVGG_PARAMS, vgg4, sd, 'params')

    # SRVGGNetCompact x2 stored as float16: the reference runs the float16-rounded weights in float32.
    vgg2 = seeded(SRVGGNetCompact(2, **SRVGG_PARAMS), 4)
    half = OrderedDict((k, v.half()) for k, v in vgg2.state_dict().items())
    vgg2.load_state_dict(OrderedDict((k, v.float()) for k, v in half.items()))
    write_safetensors('srvgg-x2-f16.safetensors', half)
    model_fixture('srvgg-x2-f16.safetensors', 'srvgg', 2, 'new', SRVGG_PARAMS, vgg2, half, None)

    # Views as torch.save keeps them: strides, a storage offset, a storage shared by two
    # tensors, and every float dtype. Not a model: only the reader reads it.
    torch.manual_seed(5)
    base = torch.randn(4, 6)
    views = OrderedDict(
        transposed=base.t(),
        sliced=base[1:, ::2],
        shared=base[2],
        half=torch.randn(2, 3).half(),
        bfloat=torch.randn(3, 2).bfloat16(),
        double=torch.randn(5).double(),
        scalar=torch.tensor(1.5),
        num_batches_tracked=torch.tensor(7),
    )
    assert not views['transposed'].is_contiguous() and views['sliced'].storage_offset() == 6
    torch.save(OrderedDict(state_dict=views, epoch=12, note='not a tensor'), os.path.join(OUT, 'views.pth'))
    fixtures.append(OrderedDict(file='views.pth', arch=None, wrapper=None,
                                tensors=tensor_stats(OrderedDict((k, v) for k, v in views.items()
                                                                 if v.is_floating_point()))))

    # The same file re-zipped with deflate (torch writes stored entries; other tools may not).
    repack(os.path.join(OUT, 'views.pth'), os.path.join(OUT, 'views-deflate.pth'), zipfile.ZIP_DEFLATED)
    fixtures.append(OrderedDict(fixtures[-1], file='views-deflate.pth'))

    # A classifier's weights: a valid file, the wrong architecture (B's error).
    torch.manual_seed(6)
    torch.save(OrderedDict([('fc.weight', torch.randn(10, 16)), ('fc.bias', torch.randn(10))]),
               os.path.join(OUT, 'classifier.pth'))
    fixtures.append(OrderedDict(file='classifier.pth', arch=None, error='wrong-architecture'))

    # Hostile and broken files.
    torch.save({'params_ema': OrderedDict(x=torch.zeros(2)), 'payload': RunsShellCommand()},
               os.path.join(OUT, 'evil.pth'))
    fixtures.append(OrderedDict(file='evil.pth', error='unsafe-pickle', callable='posix.system',
                                sideEffect='/tmp/gan-studio-pwned'))
    whole = open(os.path.join(OUT, 'classifier.pth'), 'rb').read()
    open(os.path.join(OUT, 'truncated.pth'), 'wb').write(whole[: len(whole) // 2])
    fixtures.append(OrderedDict(file='truncated.pth', error='truncated'))
    write_huge_safetensors('huge.safetensors')
    fixtures.append(OrderedDict(file='huge.safetensors', error='too-large'))
    write_huge_pth('huge.pth')
    fixtures.append(OrderedDict(file='huge.pth', error='too-large'))
    torch.save(OrderedDict(x=torch.zeros(3)), os.path.join(OUT, 'legacy.pth'), _use_new_zipfile_serialization=False)
    fixtures.append(OrderedDict(file='legacy.pth', error='legacy-format'))

    manifest = OrderedDict(
        about='Made by scripts/make-sr-import-fixtures.py with torch ' + torch.__version__ + '; '
              'images are float32 little-endian NCHW .bin files; outputs are unclamped.',
        layout='NCHW', dtype='float32', fixtures=fixtures)
    with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
        f.write(compact_json(manifest) + '\n')


def compact_json(value, indent=''):
    """Indented JSON whose innermost objects (one tensor's stats) stay on one line."""
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) and not is_flat_list(v) for v in value.values()):
        inner = indent + ' '
        items = [f'{inner}{json.dumps(k)}: {compact_json(v, inner)}' for k, v in value.items()]
        return '{\n' + ',\n'.join(items) + '\n' + indent + '}'
    if isinstance(value, list) and not is_flat_list(value):
        inner = indent + ' '
        return '[\n' + ',\n'.join(inner + compact_json(v, inner) for v in value) + '\n' + indent + ']'
    return json.dumps(value)


def is_flat_list(v):
    return isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v)


if __name__ == '__main__':
    main()
