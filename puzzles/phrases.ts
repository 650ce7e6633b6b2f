/**
 * Plaintexts for cipher puzzles, written for this project (no outside list). Grouped by
 * length: longer texts give a person more to work with on the harder methods.
 */
export const SHORT_PHRASES = [
  'The key is under the old oak tree',
  'Follow the river to the stone bridge',
  'Look behind the painting in the hall',
  'The treasure waits where the bells ring',
  'Count the steps from the fountain',
  'Seek the lantern on the north wall',
  'The map is hidden inside the clock',
  'Dig where the shadow falls at noon',
  'The captain left his compass at the inn',
  'Open the blue door with the silver key',
  'The gold sleeps beneath the lighthouse',
  'Walk west until you reach the mill',
] as const;

export const LONG_PHRASES = [
  'When the tide runs low the cave behind the waterfall opens and the path leads down to a chamber full of old coins',
  'The keeper of the garden planted seven roses in a circle and buried the next clue beneath the one that never blooms',
  'Travelers who climb the hill at dawn can see the weathervane point toward the well where the last riddle was lowered',
  'Every clock in the tower stopped at a different hour and together they spell the number of paces to the hidden door',
  'The merchant wrote his secret in the margin of a ledger and hid the ledger under the third stair of the cellar',
  'A fisherman claims the statue in the square was carved holding a key that only turns when the moon is full',
  'Inside the library the atlas on the top shelf has a folded page that marks the island nobody has ever named',
  'The old bell rope is knotted twelve times and each knot hides a letter of the password to the vault below',
] as const;
