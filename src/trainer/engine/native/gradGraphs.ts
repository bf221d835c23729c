// Faster ONNX graphs for the two conv gradients, where the shapes suit them (kernels.ts picks).
// Per call, one thread, quiet 2-core Xeon VM, 2026-11-30 (ms, generic graph -> this one):
//   filter gradient, 3x3 256 -> 256 at 64x64 (CycleGAN's residual blocks): 159 -> 78;
//   3x3 stride 2, 64 -> 128 at 256x256: 124 -> 48; 4x4 stride 2, 64 -> 128 at 128x128: 27 -> 20;
//   DCGAN's 5x5 64 -> 64 at 14x14, batch 64: 76 -> 54; 7x7 64 -> 3 at 262x262: 269 -> 223;
//   but 7x7 from 3 channels: 60 -> 96 (hence from 16 input channels).
//   Input gradient (stride 1), 3x3 256 -> 256 at 64x64: 124 -> 92; 5x5 64 -> 64: 57 -> 53;
//   CycleGAN's last conv, 7x7 64 -> 3 at 262x262: 578 -> 27 (ConvTranspose with 3 input
//   channels); but 7x7 3 -> 64 (its first): 72 -> 145 (hence from 64 input channels).
import type { OnnxGraph, OnnxInitializer, OnnxNode } from '../onnx/proto';
import type { BackpropFilterSpec, BackpropInputSpec } from './graphs';

/** Whether the filter gradient goes through filterGradByGemmGraph. */
export const useGemmFilterGrad = (s: BackpropFilterSpec) =>
  s.dilations[0] === 1 && s.dilations[1] === 1 && s.xShape[3] >= 16;

/**
 * dW[i, j] = (x padded, sliced at tap (i, j) with the stride)^T . dy, as one Gemm per tap over
 * rows = batch x output pixels: NHWC in, tfjs's [kh, kw, in, out] out, nothing transposed.
 * That is the im2col formulation, one tap at a time, so the temporary is one x-sized slice.
 */
export function filterGradByGemmGraph(s: BackpropFilterSpec): OnnxGraph {
  const [n, h, w, ci] = s.xShape;
  const [, oh, ow, co] = s.dyShape;
  const [kh, kw] = s.filterShape;
  const [sh, sw] = s.strides;
  // Pad only what the taps reach (a 'same' conv's far padding may be partly unused).
  const bottom = Math.max(0, kh - 1 + (oh - 1) * sh + 1 - s.pads.top - h);
  const right = Math.max(0, kw - 1 + (ow - 1) * sw + 1 - s.pads.left - w);
  const padded = s.pads.top + bottom + s.pads.left + right > 0;
  const init: OnnxInitializer[] = [
    ...(padded ? [{ name: 'pads', dims: [8], int64s: [0, s.pads.top, s.pads.left, 0, 0, bottom, right, 0] }] : []),
    { name: 'xRows', dims: [2], int64s: [n * oh * ow, ci] },
    { name: 'dyRows', dims: [2], int64s: [n * oh * ow, co] },
    { name: 'axes', dims: [2], int64s: [1, 2] },
    { name: 'steps', dims: [2], int64s: [sh, sw] },
    { name: 'dwShape', dims: [4], int64s: [kh, kw, ci, co] },
  ];
  const nodes: OnnxNode[] = [{ op: 'Reshape', inputs: ['dy', 'dyRows'], outputs: ['dy2'] }];
  if (padded) nodes.push({ op: 'Pad', inputs: ['x', 'pads'], outputs: ['xp'] });
  const taps: string[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const t = `${i}_${j}`;
      init.push(
        { name: `from${t}`, dims: [2], int64s: [i, j] },
        { name: `to${t}`, dims: [2], int64s: [i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1] },
      );
      nodes.push(
        { op: 'Slice', inputs: [padded ? 'xp' : 'x', `from${t}`, `to${t}`, 'axes', 'steps'], outputs: [`tap${t}`] },
        { op: 'Reshape', inputs: [`tap${t}`, 'xRows'], outputs: [`rows${t}`] },
        { op: 'Gemm', inputs: [`rows${t}`, 'dy2'], outputs: [`dw${t}`], attrs: { transA: 1 } },
      );
      taps.push(`dw${t}`);
    }
  }
  nodes.push(
    { op: 'Concat', inputs: taps, outputs: ['all'], attrs: { axis: 0 } },
    { op: 'Reshape', inputs: ['all', 'dwShape'], outputs: ['dw'] },
  );
  return {
    inputs: [
      { name: 'x', shape: s.xShape },
      { name: 'dy', shape: s.dyShape },
    ],
    outputs: [{ name: 'dw', shape: s.filterShape }],
    initializers: init,
    nodes,
  };
}

/** Whether the input gradient goes through inputGradByConvGraph. */
export const useConvInputGrad = (s: BackpropInputSpec) => {
  const [kh, kw, ci] = s.filterShape;
  const unit = s.strides[0] === 1 && s.strides[1] === 1 && s.dilations[0] === 1 && s.dilations[1] === 1;
  const fits = Math.min(kh - 1 - s.pads.top, kh - 1 - s.pads.bottom, kw - 1 - s.pads.left, kw - 1 - s.pads.right) >= 0;
  return unit && fits && ci >= 64;
};

/**
 * dx of a stride-1 conv as a forward Conv of dy with the filter flipped in space and its in and
 * out swapped, padded by k - 1 - pad: MLAS's blocked (NCHWc) Conv, which ConvTranspose lacks.
 */
export function inputGradByConvGraph(s: BackpropInputSpec): OnnxGraph {
  const [kh, kw] = s.filterShape;
  const { top, left, bottom, right } = s.pads;
  return {
    inputs: [
      { name: 'dy', shape: s.dyShape },
      { name: 'w', shape: s.filterShape },
    ],
    outputs: [{ name: 'dx', shape: s.inShape }],
    initializers: [
      // Slice with step -1 over H and W of the weight: from the last index to before the first.
      { name: 'last', dims: [2], int64s: [-1, -1] },
      { name: 'beforeFirst', dims: [2], int64s: [-(2 ** 31), -(2 ** 31)] },
      { name: 'hw', dims: [2], int64s: [2, 3] },
      { name: 'back', dims: [2], int64s: [-1, -1] },
    ],
    nodes: [
      { op: 'Transpose', inputs: ['dy'], outputs: ['dyc'], attrs: { perm: [0, 3, 1, 2] } },
      // [kh, kw, in, out] -> [in, out, kh, kw]: Conv weight [M = in, C = out, kh, kw].
      { op: 'Transpose', inputs: ['w'], outputs: ['wt'], attrs: { perm: [2, 3, 0, 1] } },
      { op: 'Slice', inputs: ['wt', 'last', 'beforeFirst', 'hw', 'back'], outputs: ['wf'] },
      {
        op: 'Conv',
        inputs: ['dyc', 'wf'],
        outputs: ['dxc'],
        attrs: { pads: [kh - 1 - top, kw - 1 - left, kh - 1 - bottom, kw - 1 - right] },
      },
      { op: 'Transpose', inputs: ['dxc'], outputs: ['dx'], attrs: { perm: [0, 2, 3, 1] } },
    ],
  };
}
