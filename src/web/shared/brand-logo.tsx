/**
 * An organisation's logo beside its name. The image is decorative (`alt=""`) because the name is
 * always written next to it; a logo that fails to load is hidden rather than shown broken.
 */
export function BrandLogo({ src, className }: { src: string; className: string }) {
  return (
    <img
      className={className}
      src={src}
      alt=""
      width={44}
      height={44}
      decoding="async"
      onError={(event) => {
        event.currentTarget.hidden = true;
      }}
    />
  );
}
