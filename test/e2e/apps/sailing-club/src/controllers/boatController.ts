import type { NextFunction, Request, Response } from 'express';
import type { UploadedFile } from 'express-fileupload';
import { BOAT_CLASSES, isBoatClass } from '../constants/boatClasses';
import { boatService } from '../services/boatService';

const present = (boat: { id: number; name: string; boatClass: string; status: string; photo: string | null }) => ({
  id: boat.id,
  name: boat.name,
  boatClass: boat.boatClass,
  status: boat.status,
  photoUrl: boat.photo ? `/api/boats/${boat.id}/photo` : null,
});

export class BoatController {
  classes = (_req: Request, res: Response) => {
    res.json({ classes: BOAT_CLASSES });
  };

  list = async (_req: Request, res: Response, next: NextFunction) => {
    try {
      const boats = await boatService.list();
      res.json({ boats: boats.map(present) });
    } catch (err) {
      next(err);
    }
  };

  show = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const boat = await boatService.get(Number(req.params.id));
      res.json({ boat: present(boat) });
    } catch (err) {
      next(err);
    }
  };

  create = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const { name, boatClass } = req.body ?? {};
      if (!name || !isBoatClass(boatClass)) {
        res.status(400).json({ error: `name, and a class of ${Object.keys(BOAT_CLASSES).join(', ')}` });
        return;
      }
      const boat = await boatService.add(name, boatClass);
      res.status(201).json({ boat: present(boat) });
    } catch (err) {
      next(err);
    }
  };

  setStatus = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const boat = await boatService.setStatus(Number(req.params.id), req.body?.status);
      res.json({ boat: present(boat) });
    } catch (err) {
      next(err);
    }
  };

  uploadPhoto = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const photo = req.files?.photo as UploadedFile | undefined;
      if (!photo) {
        res.status(400).json({ error: 'send the photo as the "photo" field' });
        return;
      }
      await boatService.savePhoto(Number(req.params.id), photo);
      res.status(201).json({ url: `/api/boats/${req.params.id}/photo` });
    } catch (err) {
      next(err);
    }
  };

  photo = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const file = await boatService.photoPath(Number(req.params.id));
      res.sendFile(file, (err) => {
        if (err && !res.headersSent) next(err);
      });
    } catch (err) {
      next(err);
    }
  };
}

export const boatController = new BoatController();
