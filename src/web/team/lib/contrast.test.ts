import { describe, expect, it } from 'vitest';
import { checkAccent, contrastRatio, isHexColor } from './contrast.js';

describe('accent contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#2563eb', '#ffffff')).toBe(5.17);
    expect(isHexColor('#0F766E')).toBe(true);
    expect(isHexColor('teal')).toBe(false);
  });

  it('picks the text colour that reads better and warns when the accent is too light', () => {
    expect(checkAccent('#0f766e')).toMatchObject({ textColor: '#ffffff', isWarning: false });
    expect(checkAccent('#facc15')).toMatchObject({ textColor: '#000000', isWarning: true });
    expect(checkAccent('#ffffff').isWarning).toBe(true);
  });
});
