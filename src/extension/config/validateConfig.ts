// Validates config text with the shared config module, loaded lazily (it pulls in ajv and the
// schema: not needed until the first "Train GAN"). Pure (no vscode): unit-tested.
import * as path from 'node:path';
import { syntaxProblems } from './configErrors';

export interface ValidationResult {
  ok: boolean;
  /** The resolved config (defaults filled, paths absolute) when ok. */
  config?: { name?: string; steps?: number } & Record<string, unknown>;
  problems: string[];
}

/** Validates config text. Throws only on bugs; problems come back in the result. */
export async function validateConfigText(text: string, configPath: string): Promise<ValidationResult> {
  const syntax = syntaxProblems(text);
  if (syntax.length) return { ok: false, problems: syntax.map((p) => p.message) };
  const { resolveConfig, ConfigError } = await import('../../shared/config');
  try {
    const config = resolveConfig(JSON.parse(text), path.dirname(configPath), path.basename(configPath));
    return { ok: true, config: config as unknown as ValidationResult['config'], problems: [] };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, problems: err.problems };
    return { ok: false, problems: [err instanceof Error ? err.message : String(err)] };
  }
}
