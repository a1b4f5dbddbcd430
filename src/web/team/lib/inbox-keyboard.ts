/**
 * The inbox's keyboard: j/k move the selection, Enter or o opens the selected ticket, r opens it
 * with the reply box focused, e closes it (after a confirmation), ? lists the shortcuts. Pure, so
 * the rules are tested without a browser; the page wires it to `keydown`.
 */
export type InboxCommand = 'next' | 'previous' | 'open' | 'reply' | 'close' | 'help';

export interface KeyInput {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  /** True when typing goes into a field (input, textarea, select, contenteditable): keys are text then. */
  readonly isTyping: boolean;
}

const COMMANDS: Readonly<Record<string, InboxCommand>> = {
  j: 'next',
  k: 'previous',
  o: 'open',
  Enter: 'open',
  r: 'reply',
  e: 'close',
  '?': 'help',
};

/** The command a key press means, or null for keys that belong to someone else. */
export function commandForKey(input: KeyInput): InboxCommand | null {
  if (input.isTyping || input.ctrlKey || input.metaKey || input.altKey) return null;
  return COMMANDS[input.key] ?? null;
}

export interface SelectionState {
  /** The selected ticket's id; null before anyone moved. */
  readonly selectedId: string | null;
  /** Where it was in the list, so a ticket that leaves the list (closed, filtered out) passes the selection to its neighbour. */
  readonly index: number;
}

export type SelectionAction =
  | { readonly type: 'move'; readonly step: 1 | -1; readonly ids: readonly string[] }
  | { readonly type: 'select'; readonly id: string; readonly ids: readonly string[] }
  | { readonly type: 'sync'; readonly ids: readonly string[] };

export const NO_SELECTION: SelectionState = { selectedId: null, index: -1 };

export function selectionReducer(state: SelectionState, action: SelectionAction): SelectionState {
  const { ids } = action;
  if (ids.length === 0) return state.selectedId === null ? state : NO_SELECTION;
  switch (action.type) {
    case 'select': {
      const index = ids.indexOf(action.id);
      return index < 0 ? state : { selectedId: action.id, index };
    }
    case 'move': {
      const current = state.selectedId === null ? -1 : ids.indexOf(state.selectedId);
      // Nothing selected yet: j starts at the top, k too (there is nothing above).
      const from = current < 0 ? (state.selectedId === null ? -1 : Math.min(state.index, ids.length) - (action.step > 0 ? 1 : 0)) : current;
      const index = Math.max(0, Math.min(ids.length - 1, from + action.step));
      const id = ids[index];
      return id === undefined || (id === state.selectedId && index === state.index) ? state : { selectedId: id, index };
    }
    case 'sync': {
      if (state.selectedId === null) return state;
      const index = ids.indexOf(state.selectedId);
      if (index >= 0) return index === state.index ? state : { selectedId: state.selectedId, index };
      // The selected ticket left the list: the one that took its place is selected.
      const fallback = Math.min(state.index, ids.length - 1);
      return { selectedId: ids[fallback] ?? null, index: fallback };
    }
  }
}
