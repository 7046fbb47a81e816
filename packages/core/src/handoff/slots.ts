/**
 * The bot's slots as one flat data-action input. A Call Digital Bot Flow action hands its message
 * flow each slot as an output variable (docs/genesys-facts.md#bot-exit-reasons), and a data action
 * takes flat scalars only, so the flow joins them into one string:
 *
 *   name=value;name=value
 *
 * Pairs are separated by `;`, a pair's name and value by its first `=` (a value may hold `=`).
 * `%XX` sequences in names and values are decoded, so a value holding `;` or `%` is written with
 * Architect's Replace: `Replace(Replace(Flow.x, "%", "%25"), ";", "%3B")`. Spaces around names are
 * dropped; an empty value or NOT_SET (a slot the bot did not fill) means the slot is absent.
 */
export interface ParsedSlots {
  slots: Record<string, string>;
  /** Pairs that could not be read (no `=`, no name): reported, never fatal to a handoff. */
  problems: string[];
}

export const SLOT_SEPARATOR = ';';

export function parseSlots(text: string | undefined): ParsedSlots {
  const slots: Record<string, string> = {};
  const problems: string[] = [];
  if (!text) return { slots, problems };
  text.split(SLOT_SEPARATOR).forEach((pair, index) => {
    if (pair.trim() === '') return;
    const eq = pair.indexOf('=');
    const name = decodePercent(eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (eq < 0 || name === '') {
      problems.push(`slot pair ${index + 1} ${JSON.stringify(pair.slice(0, 40))} is not name=value`);
      return;
    }
    const value = decodePercent(pair.slice(eq + 1));
    if (value.trim() === '' || value.trim() === 'NOT_SET') return;
    // Object.defineProperty: a slot named __proto__ is a slot, not a prototype.
    Object.defineProperty(slots, name, { value, enumerable: true, writable: true, configurable: true });
  });
  return { slots, problems };
}

/** The slots back in the input's own format (for a flat output), names in the order given. */
export function formatSlots(slots: Readonly<Record<string, string>>): string {
  return Object.entries(slots)
    .map(([name, value]) => `${encodeSlotText(name)}=${encodeSlotText(value)}`)
    .join(SLOT_SEPARATOR);
}

function encodeSlotText(text: string): string {
  return text.replace(/%/g, '%25').replace(/;/g, '%3B').replace(/=/g, '%3D');
}

/** `%XX` decoded (UTF-8); a `%` not followed by two hex digits stays as it is (never a failure). */
function decodePercent(text: string): string {
  const escaped = text.replace(/%(?![0-9a-fA-F]{2})/g, '%25');
  try {
    return decodeURIComponent(escaped);
  } catch {
    // Bytes that are not UTF-8 (e.g. %FF): keep the text as written.
    return text;
  }
}
