import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import type { Tenant } from './tenant.service.js';
import { contrastRatio, generateLogoPng, normalizeHexColor, pickTextColor, renderLogoSvg, toPortalInfo } from './branding.service.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function tenantWith(overrides: Partial<Tenant> = {}): Tenant {
  return {
    id: 't-1',
    slug: 'acme',
    name: 'Acme & Sons',
    accentColor: '#2563eb',
    logoKey: null,
    currency: 'USD',
    locale: 'en-US',
    timeZone: 'UTC',
    status: 'active',
    portal: { submissionsEnabled: true, reopenOnReply: true, clientVisibilityDefault: 'own' },
    customerLimits: {},
    portalHost: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

describe('contrastRatio', () => {
  it('is 21 for black on white, in either order, and 1 for a colour on itself', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10);
    expect(contrastRatio('#2563eb', '#2563eb')).toBe(1);
  });

  it('matches known WCAG values', () => {
    // #767676 on white is the classic "just passes AA" grey: 4.54:1.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#2563eb', '#ffffff')).toBeCloseTo(5.17, 2);
  });

  it('accepts short and upper-case hex and refuses anything else', () => {
    expect(contrastRatio('#FFF', '#000')).toBeCloseTo(21, 10);
    expect(() => contrastRatio('red', '#000000')).toThrow(AppError);
    expect(() => contrastRatio('#12345', '#000000')).toThrow(AppError);
  });
});

describe('pickTextColor', () => {
  it('picks white on a strong blue and black on a yellow', () => {
    expect(pickTextColor('#2563eb')).toBe('#ffffff');
    expect(pickTextColor('#facc15')).toBe('#000000');
  });

  it('picks the extreme for the extremes', () => {
    expect(pickTextColor('#000000')).toBe('#ffffff');
    expect(pickTextColor('#ffffff')).toBe('#000000');
  });

  it('always picks the colour with the higher contrast', () => {
    for (const accent of ['#1d4ed8', '#16a34a', '#dc2626', '#f97316', '#9333ea', '#0ea5e9', '#777777', '#808080']) {
      const picked = pickTextColor(accent);
      const other = picked === '#000000' ? '#ffffff' : '#000000';
      expect(contrastRatio(accent, picked)).toBeGreaterThanOrEqual(contrastRatio(accent, other));
    }
  });
});

describe('normalizeHexColor', () => {
  it('lower-cases and expands short colours', () => {
    expect(normalizeHexColor('#ABC')).toBe('#aabbcc');
    expect(normalizeHexColor(' #FACC15 ')).toBe('#facc15');
  });

  it('refuses values that could break out of CSS or SVG', () => {
    expect(() => normalizeHexColor('#fff;}body{display:none')).toThrow(AppError);
    expect(() => normalizeHexColor('"/><script>')).toThrow(AppError);
  });
});

describe('toPortalInfo', () => {
  it('exposes only the public branding, without a logo when none is set', () => {
    expect(toPortalInfo(tenantWith({ accentColor: '#FACC15' }), '/portal/acme')).toEqual({
      name: 'Acme & Sons',
      slug: 'acme',
      accentColor: '#facc15',
      accentTextColor: '#000000',
      logoUrl: null,
      submissionsEnabled: true,
      currency: 'USD',
      locale: 'en-US',
    });
  });

  it('points the logo URL at the portal base path and follows the submissions setting', () => {
    const tenant = tenantWith({
      logoKey: 'tenants/t-1/logo.png',
      portal: { submissionsEnabled: false, reopenOnReply: true, clientVisibilityDefault: 'all' },
    });
    expect(toPortalInfo(tenant, '/portal/acme')).toMatchObject({ logoUrl: '/portal/acme/logo', submissionsEnabled: false });
    // On a custom domain the portal lives at the root.
    expect(toPortalInfo(tenant, '').logoUrl).toBe('/logo');
  });
});

describe('generateLogoPng', () => {
  it('renders a 256×256 PNG', async () => {
    const png = await generateLogoPng('Acme Plumbing', '#2563eb');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 256, height: 256 });
  });

  it('paints the accent colour and leaves the rounded corners transparent', async () => {
    const { data, info } = await sharp(await generateLogoPng('Acme Plumbing', '#facc15'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x + 1) * info.channels),
    ];
    expect(info.channels).toBe(4);
    expect(pixel(0, 0)[3]).toBe(0);
    expect(pixel(128, 8)).toEqual([0xfa, 0xcc, 0x15, 255]);
  });

  it('draws shapes only, never text, and the same logo for the same name', () => {
    const svg = renderLogoSvg('Acme Plumbing', '#2563eb');
    expect(svg).not.toMatch(/<text|font/i);
    expect(renderLogoSvg('Acme Plumbing', '#2563eb')).toBe(svg);
  });

  it('suits the glyph to the trade named in the business name', () => {
    const svgs = ['Acme Plumbing', 'Volt Electricians', 'Shiny Cleaning', 'Fixit Repairs', 'Homely Roofing'].map((n) =>
      renderLogoSvg(n, '#2563eb'),
    );
    expect(new Set(svgs).size).toBe(5);
    expect(renderLogoSvg('Bob the Plumber', '#2563eb')).toBe(svgs[0]);
  });

  it('refuses an accent that is not a hex colour', async () => {
    await expect(generateLogoPng('Acme', 'url(#x)')).rejects.toThrow(AppError);
  });
});
