import "./access";
import "./supply";
import "./epcis";
import "./records";
import "./trials";
import "./trialSites";
import "./patient";
import "./deployCheck";
