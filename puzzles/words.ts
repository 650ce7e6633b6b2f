/**
 * Words for anagram puzzles, chosen for this project. All of them together are the
 * dictionary the generator checks uniqueness against: a word is used only when no other
 * word here has the same letters.
 */
export const WORDS_BY_LENGTH: Readonly<Record<number, readonly string[]>> = {
  5: [
    'ANCHOR', 'BEACH', 'BRICK', 'CABIN', 'CANDY', 'CHAIR', 'CHALK', 'CLOCK', 'CLOUD', 'COAST', 'CRANE', 'CROWN', 'DANCE', 'DREAM', 'EAGLE',
    'FENCE', 'FIELD', 'FLAME', 'FLUTE', 'FROST', 'GHOST', 'GLOVE', 'GRAPE', 'GRASS', 'HONEY', 'HORSE', 'HOUSE', 'JEWEL', 'KNIFE', 'LEMON',
    'LIGHT', 'MAPLE', 'MOUSE', 'MOUTH', 'MUSIC', 'NIGHT', 'OCEAN', 'OLIVE', 'PAINT', 'PEARL', 'PIANO', 'PILOT', 'PLANT', 'PLUMB', 'QUEEN',
    'RADIO', 'RIVER', 'ROBIN', 'ROUTE', 'SCARF', 'SHELL', 'SHIRT', 'SKULL', 'SNAKE', 'SPICE', 'SPOON', 'STAMP', 'STORM', 'SUGAR', 'SWORD',
    'TABLE', 'TIGER', 'TORCH', 'TOWER', 'TRAIN', 'TRUCK', 'VOICE', 'WAGON', 'WATCH', 'WHEAT', 'WHALE', 'WORLD', 'YACHT', 'ZEBRA',
  ].filter((w) => w.length === 5),
  7: [
    'BALLOON', 'BLANKET', 'CABINET', 'CAPTAIN', 'CASTLE', 'CENTURY', 'CHAPTER', 'CHICKEN', 'COMPASS', 'COSTUME', 'CRYSTAL', 'CURTAIN', 'DIAMOND',
    'DOLPHIN', 'EMERALD', 'FEATHER', 'FORTUNE', 'GALLERY', 'GARLAND', 'HARBOUR', 'HELMET', 'JOURNEY', 'JUSTICE', 'KITCHEN', 'LANTERN', 'LIBRARY',
    'MACHINE', 'MESSAGE', 'MORNING', 'MYSTERY', 'NETWORK', 'ORCHARD', 'PENGUIN', 'PICTURE', 'PILGRIM', 'PIRATES', 'PUMPKIN', 'PYRAMID', 'QUARTER',
    'RAINBOW', 'SAPPHIRE', 'SCEPTRE', 'SHADOWS', 'SHELTER', 'SOLDIER', 'SPARROW', 'STATION', 'SUNRISE', 'TEACHER', 'THUNDER', 'TRUMPET', 'TURTLE',
    'UNICORN', 'VILLAGE', 'VOLCANO', 'WARRIOR', 'WHISKER', 'WINDOWS',
  ].filter((w) => w.length === 7),
  9: [
    'ADVENTURE', 'ALLIGATOR', 'ASTRONAUT', 'AVALANCHE', 'BUTTERFLY', 'CATHEDRAL', 'CHOCOLATE', 'CROCODILE', 'DETECTIVE', 'DISCOVERY', 'EXPEDITION',
    'FIREWORKS', 'FOOTPRINT', 'GRAVEYARD', 'HURRICANE', 'JELLYFISH', 'LABYRINTH', 'LIGHTHOUSE', 'MAGNIFIER', 'MOUNTAINS', 'NAVIGATOR', 'NIGHTFALL',
    'PINEAPPLE', 'POMEGRANATE', 'PROFESSOR', 'RATTLESNAKE', 'SCRAPBOOK', 'SHIPWRECK', 'SKYSCRAPER', 'SNOWFLAKE', 'SPACESHIP', 'STRAWBERRY',
    'SUBMARINE', 'TELESCOPE', 'TREASURES', 'UNDERWORLD', 'WATERFALL', 'WHIRLPOOL', 'WILDERNESS', 'WOODPECKER',
  ].filter((w) => w.length === 9),
};

export const ALL_WORDS: readonly string[] = Object.values(WORDS_BY_LENGTH).flat();
