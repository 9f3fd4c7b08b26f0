"""What the apps' merchant pages share: the staff view decorator, kept uploads and the one
place a refused service call becomes messages and field errors. Sits just above shops."""
