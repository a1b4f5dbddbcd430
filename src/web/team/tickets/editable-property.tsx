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
