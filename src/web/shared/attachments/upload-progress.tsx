/** An upload's progress bar (0–100), named for what is being uploaded. */
export function UploadProgress({ label, percent }: { label: string; percent: number }) {
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <span className="progress__bar" style={{ transform: `scaleX(${percent / 100})` }} />
    </div>
  );
}
