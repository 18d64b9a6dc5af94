const express = require('express');
const auth = require('../lib/auth');

const router = express.Router();

router.get('/', auth.requireLogin, auth.requireLibrarian, (req, res) => {
  const list = [...auth.members.values()].map(auth.publicMember);
  res.json({ count: auth.members.size, members: list });
});

// members fix their own name; the librarian can fix anybody's and hand over the desk
router.patch('/:id', auth.requireLogin, (req, res) => {
  const id = Number(req.params.id);
  if (req.member.id !== id && req.member.role !== 'librarian') return res.status(403).json({ error: 'not your account' });
  const member = auth.members.get(id);
  if (!member) return res.status(404).json({ error: 'no such member' });
  if (req.body.name) member.name = req.body.name;
  if (req.body.role && req.member.role === 'librarian') member.role = req.body.role === 'librarian' ? 'librarian' : 'member';
  res.json({ member: auth.publicMember(member) });
});

module.exports = router;
