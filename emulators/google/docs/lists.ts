// Bullet presets: the nine nesting levels Docs creates for each CreateParagraphBulletsRequest preset.
import type { JsonObject } from "../../common/json";

const SYMBOLS: Record<string, readonly string[]> = {
  BULLET_DISC_CIRCLE_SQUARE: ["●", "○", "■"],
  BULLET_DIAMONDX_ARROW3D_SQUARE: ["❖", "➢", "■"],
  BULLET_ARROW_DIAMOND_DISC: ["➔", "◆", "●"],
  BULLET_STAR_CIRCLE_SQUARE: ["★", "○", "■"],
  BULLET_ARROW3D_CIRCLE_SQUARE: ["➢", "○", "■"],
  BULLET_LEFTTRIANGLE_DIAMOND_DISC: ["◄", "◆", "●"],
  BULLET_DIAMONDX_HOLLOWDIAMOND_SQUARE: ["❖", "◇", "■"],
  BULLET_DIAMOND_CIRCLE_SQUARE: ["◆", "○", "■"],
};

/** Glyph type and the text after the number, per level (repeating every three). */
const NUMBERED: Record<string, readonly [string, string][]> = {
  NUMBERED_DECIMAL_ALPHA_ROMAN: [
    ["DECIMAL", "."],
    ["ALPHA", "."],
    ["ROMAN", "."],
  ],
  NUMBERED_DECIMAL_ALPHA_ROMAN_PARENS: [
    ["DECIMAL", ")"],
    ["ALPHA", ")"],
    ["ROMAN", ")"],
  ],
  NUMBERED_UPPERALPHA_ALPHA_ROMAN: [
    ["UPPER_ALPHA", "."],
    ["ALPHA", "."],
    ["ROMAN", "."],
  ],
  NUMBERED_UPPERROMAN_UPPERALPHA_DECIMAL: [
    ["UPPER_ROMAN", "."],
    ["UPPER_ALPHA", "."],
    ["DECIMAL", "."],
  ],
  NUMBERED_ZERODECIMAL_ALPHA_ROMAN: [
    ["ZERO_DECIMAL", "."],
    ["ALPHA", "."],
    ["ROMAN", "."],
  ],
};

export const CHECKBOX = "BULLET_CHECKBOX";
export const DISC = "BULLET_DISC_CIRCLE_SQUARE";
export const DECIMAL = "NUMBERED_DECIMAL_ALPHA_ROMAN";
export const MAX_NESTING = 8;

export function isPreset(preset: string): boolean {
  return (
    preset === CHECKBOX || preset === "NUMBERED_DECIMAL_NESTED" || preset in SYMBOLS || preset in NUMBERED
  );
}

function dimension(magnitude: number): JsonObject {
  return { magnitude, unit: "PT" };
}

/** Docs indents each level by half an inch, the glyph hanging a quarter inch before the text. */
export function indentFor(level: number): { indentFirstLine: JsonObject; indentStart: JsonObject } {
  return { indentFirstLine: dimension(18 + 36 * level), indentStart: dimension(36 + 36 * level) };
}

function glyph(preset: string, level: number): JsonObject {
  const symbols = SYMBOLS[preset];
  if (symbols !== undefined) return { glyphSymbol: symbols[level % symbols.length] };
  // A checkbox list has neither symbol nor number: clients tell it apart by this explicit "unspecified".
  if (preset === CHECKBOX) return { glyphType: "GLYPH_TYPE_UNSPECIFIED" };
  if (preset === "NUMBERED_DECIMAL_NESTED") {
    const format = Array.from({ length: level + 1 }, (_, i) => `%${i}.`).join("");
    return { glyphType: "DECIMAL", glyphFormat: format };
  }
  const numbered = NUMBERED[preset] ?? NUMBERED.NUMBERED_DECIMAL_ALPHA_ROMAN ?? [];
  const [type, format] = numbered[level % numbered.length] ?? ["DECIMAL", "."];
  return { glyphType: type, glyphFormat: format.replace("0", String(level)) };
}

export function nestingLevels(preset: string): JsonObject[] {
  return Array.from({ length: MAX_NESTING + 1 }, (_, level) => ({
    bulletAlignment: "START",
    ...glyph(preset, level),
    ...indentFor(level),
    startNumber: 1,
    textStyle: { underline: false },
  }));
}
