// One instance of each service and controller for the whole process.
import { AuthService } from './services/AuthService';
import { LoginThrottle } from './services/LoginThrottle';
import { MailService } from './services/MailService';
import { PartsService } from './services/PartsService';
import { PhotoService } from './services/PhotoService';
import { RepairService } from './services/RepairService';
import { AuthController } from './controllers/AuthController';
import { RepairController } from './controllers/RepairController';
import { PartsController } from './controllers/PartsController';
import { PhotoController } from './controllers/PhotoController';

export const authService = new AuthService();
export const loginThrottle = new LoginThrottle();
export const mailService = new MailService();
export const partsService = new PartsService();
export const photoService = new PhotoService();
export const repairService = new RepairService(mailService);

export const authController = new AuthController(authService, loginThrottle);
export const repairController = new RepairController(repairService);
export const partsController = new PartsController(partsService);
export const photoController = new PhotoController(photoService, repairService);
