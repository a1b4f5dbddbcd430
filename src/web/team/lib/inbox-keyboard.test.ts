import { describe, expect, it } from 'vitest';
import { commandForKey, NO_SELECTION, selectionReducer, type KeyInput } from './inbox-keyboard.js';

const key = (k: string, extra: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  isTyping: false,
  ...extra,
});

describe('inbox keyboard', () => {
  it('maps keys to commands, but never while typing or with modifiers', () => {
    expect(['j', 'k', 'o', 'Enter', 'r', 'e', '?'].map((k) => commandForKey(key(k)))).toEqual([
      'next',
      'previous',
      'open',
      'open',
      'reply',
      'close',
      'help',
    ]);
    expect(commandForKey(key('j', { isTyping: true }))).toBeNull();
    expect(commandForKey(key('r', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(key('e', { metaKey: true }))).toBeNull();
    expect(commandForKey(key('x'))).toBeNull();
  });

  it('moves within the list and stops at its ends', () => {
    const ids = ['a', 'b', 'c'];
    let state = selectionReducer(NO_SELECTION, { type: 'move', step: 1, ids });
    expect(state).toEqual({ selectedId: 'a', index: 0 });
    state = selectionReducer(state, { type: 'move', step: 1, ids });
    state = selectionReducer(state, { type: 'move', step: 1, ids });
    expect(state.selectedId).toBe('c');
    expect(selectionReducer(state, { type: 'move', step: 1, ids })).toBe(state);
    expect(selectionReducer(NO_SELECTION, { type: 'move', step: -1, ids }).selectedId).toBe('a');
    expect(selectionReducer(state, { type: 'select', id: 'b', ids })).toEqual({ selectedId: 'b', index: 1 });
    expect(selectionReducer(state, { type: 'select', id: 'zz', ids })).toBe(state);
  });

  it('passes the selection to the neighbour when the selected ticket leaves the list', () => {
    const state = { selectedId: 'b', index: 1 };
    expect(selectionReducer(state, { type: 'sync', ids: ['a', 'c', 'd'] })).toEqual({ selectedId: 'c', index: 1 });
    expect(selectionReducer({ selectedId: 'c', index: 2 }, { type: 'sync', ids: ['a', 'b'] })).toEqual({ selectedId: 'b', index: 1 });
    expect(selectionReducer(state, { type: 'sync', ids: [] })).toEqual(NO_SELECTION);
    // Still there, moved down by a new ticket on top: the same ticket stays selected.
    expect(selectionReducer(state, { type: 'sync', ids: ['new', 'a', 'b'] })).toEqual({ selectedId: 'b', index: 2 });
  });
});
