// Types of "gan-studio", the building blocks a model file imports. The trainer provides the
// module itself when it compiles model.ts; this file only serves the editor (IntelliSense,
// type errors). Every block takes a symbolic tensor and returns one, so blocks chain:
//   let h = conv(x, { filters: 64, strides: 2, norm: 'batch', activation: 'leakyRelu' });
import type * as tf from '@tensorflow/tfjs';

type S = tf.SymbolicTensor;

/** The config's "params" (gan.config.json), every default filled in. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the scaffold fills it from the config schema
export interface ParamsConfig {
  // @generated params
}

/** What the networks are built for; given to buildGenerator / buildDiscriminator. */
export interface ModelSpec {
  /** Side of the square training images (the config's imageSize). */
  imageSize: number;
  /** Channels of the training images: 1 for MNIST, 3 for RGB pictures. */
  channels: number;
  /** Classes of a labelled data set (10 for MNIST; cGAN's one-hot label length); 0 when unlabelled. */
  numClasses: number;
  params: ParamsConfig;
  /** Super-resolution: the upscaling factor (dataset.scale). */
  scale?: number;
}

export type Norm = 'batch' | 'instance' | 'none';
export type Activation = 'relu' | 'leakyRelu' | 'prelu' | 'tanh' | 'sigmoid' | 'linear';
/** normal: weights N(0, 0.02), batch-norm scales N(1, 0.02) (DCGAN, pix2pix, CycleGAN); glorot: Glorot normal (tfjs' default); he: He normal (SRGAN's convs). */
export type Init = 'normal' | 'glorot' | 'he';

export interface BlockOptions {
  /** Normalisation after the layer: batch (DCGAN, pix2pix), instance (CycleGAN) or none. Default none. */
  norm?: Norm;
  /** Activation after the normalisation. Default linear (none). */
  activation?: Activation;
  /** Negative slope of leakyRelu. Default 0.2 (the papers' value). */
  leak?: number;
  /** Dropout rate after the activation; 0 = none. */
  dropout?: number;
  /** Weight initialisation: normal = N(0, 0.02) (the GAN papers'; default), glorot (normal), he (normal). */
  init?: Init;
  name?: string;
}

export interface ConvOptions extends BlockOptions {
  filters: number;
  /** Default 3. */
  kernelSize?: number;
  /** Default 1. */
  strides?: number;
  /** Default "same"; a number = that much zero padding on each side, then "valid" (PyTorch's padding=p). */
  padding?: 'same' | 'valid' | number;
  /** Default: true unless a batch/instance norm follows (its shift makes a bias redundant). */
  useBias?: boolean;
}

export interface NormOptions {
  name?: string;
  init?: Init;
  /** Batch norm's moving-average momentum. */
  momentum?: number;
}

export interface UnetOptions {
  outChannels: number;
  ngf: number;
  /** Default batch (the paper's). */
  norm?: Norm;
  /** Rate of the always-on dropout; default 0.5 (the paper's). */
  dropout?: number;
  /** Decoder blocks with dropout; default 3. */
  dropoutBlocks?: number;
}

export interface ResnetGeneratorOptions {
  outChannels: number;
  ngf: number;
  blocks: number;
  /** Default instance (the paper's). */
  norm?: Norm;
}

export interface SrGeneratorOptions {
  scale: number;
  features: number;
  blocks: number;
  block: 'resnet' | 'rrdb';
  batchNorm: boolean;
  upsampler: 'lr' | 'shuffle';
}

/** Normalisation layer by name (none returns x unchanged). */
export declare function norm(x: S, kind?: Norm, o?: NormOptions): S;
/** Activation layer by name (linear returns x unchanged). */
export declare function activation(x: S, kind?: Activation, leak?: number, name?: string): S;
/** Conv2D -> norm -> activation -> dropout. */
export declare function conv(x: S, o: ConvOptions): S;
/** Conv2DTranspose (stride 2 doubles the size) -> norm -> activation -> dropout. */
export declare function deconv(x: S, o: ConvOptions): S;
/** Dense -> norm -> activation -> dropout. */
export declare function dense(x: S, o: BlockOptions & { units: number; useBias?: boolean }): S;
export declare const reshape: (x: S, shape: number[]) => S;
export declare const flatten: (x: S) => S;
/** Concatenates on the channel (last) axis. */
export declare const concat: (xs: S[], name?: string) => S;
export declare const add: (xs: S[], name?: string) => S;
export declare const globalAvgPool: (x: S) => S;
/** Zero padding of H and W by `pad` on each side. */
export declare const zeroPad: (x: S, pad: number, name?: string) => S;
/** Instance normalisation (Ulyanov et al. 2016): each image and channel over its own H x W. */
export declare const instanceNorm: (x: S, affine?: boolean) => S;
/** Reflection padding of H and W by `pad` on each side, with an exact gradient. */
export declare const reflectionPad: (x: S, pad: number, name?: string) => S;
/** Sub-pixel upsampling (Shi et al. 2016): [h, w, c*r*r] -> [h*r, w*r, c]. */
export declare const pixelShuffle: (x: S, scale: number, name?: string) => S;
/** Fixed (non-trainable) bicubic upsampling of an image by `scale`: a super-resolution generator adds its output to this. */
export declare function bicubicUpsample(x: S, scale: number, name?: string): S;
/** cGAN: a one-hot label [classes] as `size` x `size` x classes constant planes, to concatenate to an image. */
export declare function labelPlanes(label: S, size: number): S;
/** The TensorFlow pix2pix tutorial's encoder block Ck: 4x4 conv, stride 2, norm, LeakyReLU 0.2. */
export declare function downsample(x: S, o: { filters: number; norm?: Norm }): S;
/** The tutorial's decoder block (C|CD)k: 4x4 transposed conv, stride 2, norm, dropout, ReLU; then the skip is concatenated. */
export declare function upsample(x: S, o: { filters: number; skip?: S; dropout?: number; norm?: Norm }): S;
/** The pix2pix U-Net (the built-in generator): encoder ngf, 2ngf, 4ngf, 8ngf, ... (at most 8 halvings, at least 5), mirrored decoder with skips, always-on dropout in the first three decoder blocks. */
export declare function unet(x: S, o: UnetOptions): S;
/** CycleGAN residual block: pad, 3x3 conv, norm, ReLU, pad, 3x3 conv, norm, + input. */
export declare function resnetBlock(
  x: S,
  o: { filters: number; norm?: Norm; padding?: 'reflect' | 'zero'; name?: string },
): S;
/** The CycleGAN generator (the built-in one): c7s1-ngf, d2ngf, d4ngf, R4ngf x blocks, u2ngf, ungf, c7s1-outChannels, tanh. */
export declare function resnetGenerator(x: S, o: ResnetGeneratorOptions): S;
/** SRResNet residual block: conv, [BN], PReLU, conv, [BN], + input; He-initialised. */
export declare function srResidualBlock(
  x: S,
  o: { filters: number; batchNorm?: boolean; activation?: Activation; init?: Init },
): S;
/** ESRGAN's residual-in-residual dense block. */
export declare function rrdb(x: S, features: number): S;
/** The built-in super-resolution generator: low-resolution RGB -> scale x larger, over a fixed bicubic path. */
export declare function srGenerator(lr: S, o: SrGeneratorOptions): S;
/** The built-in SRGAN discriminator body: [logit, two feature maps for the content loss]. */
export declare function srDiscriminator(img: S, o: { ndf: number; batchNorm?: boolean }): S[];
/** The 70x70 PatchGAN (pix2pix, CycleGAN): C(ndf)-C(2ndf)-C(4ndf) at stride 2, C(8ndf) at stride 1, a 1-channel conv, 4x4 kernels with padding 1: one logit per 70x70 patch with layers = 3. */
export declare function patchGan(x: S, o: { ndf: number; layers?: number; norm?: Norm }): S;
