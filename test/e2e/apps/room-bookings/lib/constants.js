'use strict';

const ROOM_KINDS = {
  huddle: { label: 'Huddle room', screen: false },
  boardroom: { label: 'Boardroom', screen: true },
  studio: { label: 'Recording studio', screen: true },
};

const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

module.exports = { ROOM_KINDS, PHOTO_TYPES };
