import { fileURLToPath } from 'node:url';

/**
 * Path of a module next to `base`, with the extension `base` itself has: `.js` when the bench runs
 * from dist/, `.ts` when it runs from its sources (`node --conditions=source --import tsx`), so
 * the child processes run the same build as the parent.
 */
export function siblingModule(base: string, relative: string): string {
  const ext = base.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(relative.replace(/\.js$/, ext), base));
}

/**
 * This process's `execArgv` (e.g. `--conditions=source --import tsx` while developing) with bare
 * `--import` specifiers resolved to absolute URLs, so a child started in another working
 * directory still finds them.
 */
export function portableExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--import' && i + 1 < argv.length) {
      out.push(arg, resolveSpecifier(argv[i + 1] as string));
      i += 1;
    } else if (arg.startsWith('--import=')) {
      out.push(`--import=${resolveSpecifier(arg.slice('--import='.length))}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

function resolveSpecifier(specifier: string): string {
  if (/^(file:|data:|\.{0,2}\/)/.test(specifier)) return specifier;
  try {
    return import.meta.resolve(specifier);
  } catch {
    return specifier;
  }
}
