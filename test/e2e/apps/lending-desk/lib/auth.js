const crypto = require('crypto');

// everybody who signed up, by id
const members = new Map();
let nextMemberId = 1;

// logged-in browsers: token from the "sid" cookie -> { memberId, since }
const sessions = new Map();

function hashPassword(password, salt) {
  return crypto.scryptSync(password, salt, 32).toString('hex');
}

function addMember(name, email, password) {
  const salt = crypto.randomBytes(8).toString('hex');
  const member = {
    id: nextMemberId++,
    name,
    email: email.toLowerCase(),
    salt,
    passwordHash: hashPassword(password, salt),
    // the first one to sign up runs the desk
    role: members.size === 0 ? 'librarian' : 'member',
    joined: new Date().toISOString()
  };
  members.set(member.id, member);
  return member;
}

function findByEmail(email) {
  for (const member of members.values()) {
    if (member.email === String(email).toLowerCase()) return member;
  }
  return null;
}

function checkPassword(member, password) {
  return member.passwordHash === hashPassword(password, member.salt);
}

function startSession(member) {
  const token = crypto.randomBytes(24).toString('hex');
  sessions.set(token, { memberId: member.id, since: Date.now() });
  return token;
}

function endSession(token) {
  sessions.delete(token);
}

function publicMember(member) {
  return { id: member.id, name: member.name, email: member.email, role: member.role, joined: member.joined };
}

// puts req.member on the request, or answers 401
function requireLogin(req, res, next) {
  const session = sessions.get(req.cookies.sid);
  const member = session && members.get(session.memberId);
  if (!member) return res.status(401).json({ error: 'please log in' });
  req.member = member;
  next();
}

function requireLibrarian(req, res, next) {
  if (req.member.role !== 'librarian') return res.status(403).json({ error: 'librarians only' });
  next();
}

module.exports = {
  members,
  addMember,
  findByEmail,
  checkPassword,
  startSession,
  endSession,
  publicMember,
  requireLogin,
  requireLibrarian
};
