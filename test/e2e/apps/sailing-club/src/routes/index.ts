import { Router } from 'express';
import { authController } from '../controllers/authController';
import { boatController } from '../controllers/boatController';
import { reservationController } from '../controllers/reservationController';
import { requireMember } from '../middleware/requireMember';

export const router = Router();

router.post('/signup', authController.signup);
router.post('/login', authController.login);
router.get('/me', requireMember, authController.me);
router.post('/logout', authController.logout);

router.get('/boat-classes', boatController.classes);
router.get('/boats', boatController.list);
router.post('/boats', requireMember, boatController.create);
router.get('/boats/:id', boatController.show);
router.patch('/boats/:id', requireMember, boatController.setStatus);
router.post('/boats/:id/photo', requireMember, boatController.uploadPhoto);
router.get('/boats/:id/photo', boatController.photo);

router.post('/boats/:id/reservations', requireMember, reservationController.create);
router.get('/reservations', requireMember, reservationController.mine);
router.get('/stats', reservationController.stats);
router.get('/live', reservationController.live);
