// A loose stand-in for the types of @tensorflow/tfjs, so model.ts shows no errors before they
// are installed: every tf.* value is `any`, the common types are `any`. For full IntelliSense
// on tf.*, install the real types once in this folder (training does not need them):
//   npm install --no-save @tensorflow/tfjs@4.22.0
// tsconfig.json then picks node_modules/@tensorflow/tfjs over this file.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare namespace tf {
  type Tensor = any;
  type Tensor1D = any;
  type Tensor2D = any;
  type Tensor3D = any;
  type Tensor4D = any;
  type Scalar = any;
  type Shape = any;
  type SymbolicTensor = any;
  type LayersModel = any;
  type Sequential = any;
  type LayerVariable = any;
  type Optimizer = any;
  namespace layers {
    type Layer = any;
  }
  namespace serialization {
    type ConfigDict = any;
  }
}
declare const tf: any;
export = tf;
