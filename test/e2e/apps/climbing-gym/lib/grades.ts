// Boulder grades we set, easiest first. The font scale is shown next to the V grade on the wall tags.
export const GRADES: Record<string, { font: string; colour: string }> = {
  VB: { font: '3', colour: 'white' },
  V0: { font: '4', colour: 'green' },
  V1: { font: '5', colour: 'green' },
  V2: { font: '5+', colour: 'blue' },
  V3: { font: '6A', colour: 'blue' },
  V4: { font: '6B', colour: 'yellow' },
  V5: { font: '6C', colour: 'yellow' },
  V6: { font: '7A', colour: 'red' },
  V7: { font: '7A+', colour: 'red' },
  V8: { font: '7B', colour: 'black' },
};

export const CLASSES: Record<string, { title: string; capacity: number }> = {
  'intro-belay': { title: 'Intro to belaying', capacity: 2 },
  'lead-climbing': { title: 'Lead climbing', capacity: 6 },
};
