import { withAuth } from '@/lib/session';

export default withAuth(async function me(req, res) {
  res.status(200).json({ handle: req.session.handle });
});
