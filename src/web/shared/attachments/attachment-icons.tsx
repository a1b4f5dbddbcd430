import type { ReactNode } from 'react';

/** Small line icons for files; decorative (a name or label always sits beside them). */
function SmallIcon({ children, size = 20 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      className="file-icon"
      viewBox="0 0 24 24"
      width={size}
      height={size}
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export function PaperclipIcon({ size }: { size?: number }) {
  return (
    <SmallIcon size={size}>
      <path d="m21.44 11.05-9.19 9.19a6 6 0 0 1-8.49-8.49l8.57-8.57A4 4 0 1 1 18 8.84l-8.59 8.57a2 2 0 0 1-2.83-2.83l8.49-8.48" />
    </SmallIcon>
  );
}

export function CameraIcon({ size }: { size?: number }) {
  return (
    <SmallIcon size={size}>
      <path d="M14.5 4h-5L7 7H4a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V9a2 2 0 0 0-2-2h-3z" />
      <circle cx="12" cy="13" r="3" />
    </SmallIcon>
  );
}

export function DocumentIcon({ size }: { size?: number }) {
  return (
    <SmallIcon size={size}>
      <path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z" />
      <path d="M14 2v6h6M16 13H8M16 17H8M10 9H8" />
    </SmallIcon>
  );
}

export function ImageIcon({ size }: { size?: number }) {
  return (
    <SmallIcon size={size}>
      <rect x="3" y="3" width="18" height="18" rx="2" />
      <circle cx="9" cy="9" r="2" />
      <path d="m21 15-3.09-3.09a2 2 0 0 0-2.82 0L6 21" />
    </SmallIcon>
  );
}

export function DownloadIcon({ size }: { size?: number }) {
  return (
    <SmallIcon size={size}>
      <path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M7 10l5 5 5-5M12 15V3" />
    </SmallIcon>
  );
}
