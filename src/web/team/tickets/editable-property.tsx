/**
 * A ticket property shown as a value with "Edit"; editing opens a small form in place (the
 * scheduled visit, the charge).
 */
export function EditableProperty({
  label,
  value,
  isEditing,
  onEdit,
  children,
}: {
  label: string;
  value: React.ReactNode;
  isEditing: boolean;
  onEdit: () => void;
  children: React.ReactNode;
}) {
  return (
    <div className="property">
      <div className="property__head">
        <h3 className="property__label">{label}</h3>
        {isEditing ? null : (
          <button type="button" className="button button--quiet button--small button--inline" onClick={onEdit}>
            Edit<span className="visually-hidden"> {label.toLowerCase()}</span>
          </button>
        )}
      </div>
      {isEditing ? children : <div className="property__value">{value}</div>}
    </div>
  );
}

/** The buttons under a property's form: Save (busy while saving), Cancel, and any extra (Remove visit). */
export function PropertyActions({ isSaving, onCancel, children }: { isSaving: boolean; onCancel: () => void; children?: React.ReactNode }) {
  return (
    <div className="property__actions">
      <button type="submit" className="button button--primary button--small button--inline" aria-disabled={isSaving || undefined}>
        {isSaving ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="button button--secondary button--small button--inline" onClick={onCancel}>
        Cancel
      </button>
      {children}
    </div>
  );
}
