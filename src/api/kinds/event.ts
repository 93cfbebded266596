import { registerKind } from '../registry';

/**
 * Events live in their own table (append-mostly, aggregated by count), not among the
 * objects; the kind is registered so `get events`/`ev` resolve. Columns are printed
 * by the events printer.
 */
registerKind({
  kind: 'Event',
  group: '',
  version: 'v1',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  columns: [],
});
