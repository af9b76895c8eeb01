from shared.alembic_env import run
from services.notifications.models import Base

run(Base.metadata)
