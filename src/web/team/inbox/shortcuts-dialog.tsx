import { ModalDialog } from '../../shared/modal-dialog.js';

const SHORTCUTS: readonly [keys: readonly string[], what: string][] = [
  [['j'], 'Next ticket'],
  [['k'], 'Previous ticket'],
  [['Enter'], 'Open the selected ticket'],
  [['o'], 'Open the selected ticket'],
  [['r'], 'Open it with the reply box ready'],
  [['e'], 'Close the selected ticket (you can undo)'],
  [['/'], 'Search'],
  [['?'], 'Show these shortcuts'],
];

/** The inbox's keyboard shortcuts, in a modal dialog (Escape or the button closes it). */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <ModalDialog titleId="shortcuts-title" onClose={onClose}>
      <h2 className="dialog__title" id="shortcuts-title">
        Keyboard shortcuts
      </h2>
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={what + keys.join()} className="shortcuts__row">
            <dt>
              {keys.map((key) => (
                <kbd key={key}>{key}</kbd>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">Shortcuts work when you are not typing in a field.</p>
      <div className="dialog__actions">
        <button type="button" className="button button--primary button--inline" onClick={onClose} autoFocus>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}
