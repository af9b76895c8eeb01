from shared.alembic_env import run
from services.scheduling.models import Base

run(Base.metadata)
