// A tiny process that loads Dawn, describes the best GPU adapter as one JSON line and exits.
// `auto` asks it instead of loading Dawn itself: a CPU-only machine then never holds dawn.node,
// and what Dawn prints while it enumerates drivers (llvmpipe's limit warnings, the Vulkan
// loader's "no GPU" errors) stays out of the user's terminal and log.
import { probeGpu } from './engine/gpu/dawn';

void probeGpu().then((probe) => {
  const { adapter: _adapter, ...described } = probe;
  process.stdout.write(`${JSON.stringify(described)}\n`, () => process.exit(0));
});
